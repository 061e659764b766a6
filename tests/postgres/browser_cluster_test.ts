/**
 * Two Chromium browsers whose pages come from different instances (one PostgreSQL database)
 * chat: directly over the data channel, and relayed through both servers when one side has no
 * WebRTC.
 */
import { withCluster } from "../cluster.ts";
import { ensureTestBuild, joinRoom, send, waitForText, withBrowser } from "../browser/fixtures.ts";
import { mintLive } from "../ws_client.ts";
import { postgresUnavailable } from "../test_store.ts";

const reason = await postgresUnavailable();
if (reason) console.warn(`[cluster] browser tests: ignored, ${reason}`);
const options = { sanitizeOps: false, sanitizeResources: false, ignore: reason !== null };

async function chatAcross(relayOnly: boolean) {
  await ensureTestBuild();
  await using cluster = await withCluster(2);
  await using browser = await withBrowser();
  const [a, b] = cluster.servers.map((server) => server.url);
  const { newLinkSecret } = await import("../../client/crypto/link_secret.ts");
  const token = await mintLive(a);
  const secret = newLinkSecret();
  const hostContext = await browser.context();
  if (relayOnly) {
    await hostContext.addInitScript(() => {
      // deno-lint-ignore no-explicit-any
      delete (globalThis as any).RTCPeerConnection;
    });
  }
  const host = await hostContext.newPage();
  const guest = await browser.page();
  await joinRoom(host, `${a}/session/${token}#${secret}`);
  await joinRoom(guest, `${b}/session/${token}#${secret}`);
  await send(host, "hello across instances");
  await waitForText(guest, "hello across instances", '[role="log"]');
  await send(guest, "and back again");
  await waitForText(host, "and back again", '[role="log"]');
  const path = relayOnly ? "Relayed" : "Direct";
  await waitForText(host, path, ".path");
  await waitForText(guest, path, ".path");
}

Deno.test("[cluster] two browsers on different instances chat directly", options, async () => {
  await chatAcross(false);
});

Deno.test(
  "[cluster] two browsers on different instances chat through the relay",
  options,
  async () => {
    await chatAcross(true);
  },
);
