/**
 * Two Chromium browsers whose pages come from different instances (one PostgreSQL database)
 * chat: directly over the data channel, and relayed through both servers when one side has no
 * WebRTC.
 */
import type { Page } from "playwright-core";
import { withCluster } from "../cluster.ts";
import { ensureTestBuild, waitForIslands, waitForText, withBrowser } from "../browser/helpers.ts";
import { postgresUnavailable } from "../test_store.ts";

const reason = await postgresUnavailable();
if (reason) console.warn(`[cluster] browser tests: ignored, ${reason}`);
const options = { sanitizeOps: false, sanitizeResources: false, ignore: reason !== null };

async function mintToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 30 }),
  });
  return (await response.json()).token;
}

async function joinRoom(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await waitForIslands(page, ".room[data-ready]");
  await page.getByRole("button", { name: "Join" }).click();
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

async function chatAcross(relayOnly: boolean) {
  await ensureTestBuild();
  await using cluster = await withCluster(2);
  await using browser = await withBrowser();
  const [a, b] = cluster.servers.map((server) => server.url);
  const { newLinkSecret } = await import("../../client/crypto/link_secret.ts");
  const token = await mintToken(a);
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
