/**
 * What start-up prints: the addresses to open, from this machine and from the network, as
 * development servers print them. Every non-loopback address is listed when the server listens
 * on all interfaces, since any of them may be the one the other device can reach.
 */
import { networkAddresses, urlHost } from "./tls/machine_names.ts";

const ALL_INTERFACES = new Set(["0.0.0.0", "::", "[::]"]);
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function startupLines(host: string, port: number, secure: boolean): string[] {
  const scheme = secure ? "https" : "http";
  const url = (name: string) => `${scheme}://${urlHost(name.replace(/^\[|\]$/g, ""))}:${port}/`;
  const network = ALL_INTERFACES.has(host)
    ? networkAddresses().filter((a) => host !== "0.0.0.0" || !a.includes(":"))
    : LOOPBACK.has(host)
    ? []
    : [host];
  const lines = ["ChatOrbit is running.", `  On this machine:  ${url("localhost")}`];
  network.forEach((address, i) =>
    lines.push(`  ${i ? "                 " : "On your network: "} ${url(address)}`)
  );
  if (!secure && network.length > 0) {
    lines.push(
      "  Plain HTTP: other devices get the chat sealed end to end, but cannot be sure the page",
      "  itself is genuine. For full protection set CHAT_TLS=auto (see README, Use it on your network).",
    );
  }
  return lines;
}
