/**
 * Debian's coturn (`/usr/bin/turnserver`) on loopback with `use-auth-secret`, for the relay-only
 * browser test: listening and relaying on 127.0.0.1 only, loopback peers allowed (both browsers
 * are on this machine), no TLS, no CLI, its database and pid file in a temporary folder.
 */
import { freePort } from "./fresh_copy.ts";

const TURNSERVER = "/usr/bin/turnserver";

export const coturnInstalled = (() => {
  try {
    return Deno.statSync(TURNSERVER).isFile;
  } catch {
    return false;
  }
})();

export interface Coturn {
  /** The TURN URL to configure, e.g. turn:127.0.0.1:PORT?transport=udp. */
  url: string;
  secret: string;
  /** What coturn printed so far (for assertion messages). */
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts coturn and waits until it accepts connections; `await using` stops it. */
export async function startCoturn(secret: string): Promise<Coturn> {
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-coturn-" });
  const port = freePort();
  // A relay port range of its own, away from the ephemeral ports Chromium binds.
  const minPort = 20_000 + Math.floor(Math.random() * 200) * 100;
  const child = new Deno.Command(TURNSERVER, {
    args: [
      "-n",
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      "--realm=chatorbit.test",
      "--allow-loopback-peers",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      `--min-port=${minPort}`,
      `--max-port=${minPort + 99}`,
      `--pidfile=${dir}/turnserver.pid`,
      `--userdb=${dir}/turndb`,
      "--log-file=stdout",
      "--simple-log",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const reading = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await reading.catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  for (let i = 0;; i++) {
    const up = await Deno.connect({ hostname: "127.0.0.1", port }).then((conn) => {
      conn.close();
      return true;
    }, () => false);
    if (up) break;
    if (i >= 100) {
      await stop();
      throw new Error(`coturn did not listen on ${port} within 10 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    log: () => output,
    [Symbol.asyncDispose]: stop,
  };
}
