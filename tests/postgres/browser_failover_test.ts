/**
 * Issue 11's failover, in real browsers: two Chromium pages chat through nginx (deploy/nginx.conf
 * on loopback) in front of two `main.ts` instances on one PostgreSQL schema. The instance holding
 * a page's socket is killed with SIGKILL, or drained with SIGTERM; the pages reconnect through
 * nginx to the other instance, and every message sent meanwhile, from either side, shows once.
 *
 * Both pages have no WebRTC, so every message goes through the servers' relay: a direct data
 * channel would carry on past a dead server and prove nothing about failover.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { freePort, type ServerProcess } from "../fresh_copy.ts";
import {
  ensureTestBuild,
  joinRoom,
  mintLink,
  noWebRtc,
  send,
  waitForText,
  withBrowser,
} from "../browser/fixtures.ts";
import { createTestSchema, postgresUnavailable } from "../test_store.ts";
import { connectionsTo, instance, NGINX, nginx } from "./deploy_fixtures.ts";

const reason = (await postgresUnavailable()) ??
  (NGINX ? null : "nginx is not installed (.ci/run installs it)");
if (reason) console.warn(`[deploy] browser failover tests: ignored, ${reason}`);
const options = { sanitizeOps: false, sanitizeResources: false, ignore: reason !== null };

const portOf = (server: ServerProcess) => Number(new URL(server.url).port);

/** How many times `text` appears in the page's message log. */
async function timesShown(page: Page, text: string): Promise<number> {
  const log = await page.getByRole("log").innerText();
  return log.split(text).length - 1;
}

/** Waits until both instances' sockets add up to the two pages' (a reload may be in flight). */
async function socketsSettled(servers: ServerProcess[]): Promise<number[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const counts = await Promise.all(servers.map((server) => connectionsTo(portOf(server))));
    if (counts[0] + counts[1] === 2) return counts;
    if (Date.now() > deadline) throw new Error(`sockets per instance: ${counts.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function failover(stop: (server: ServerProcess) => Promise<void>) {
  await ensureTestBuild();
  await using schema = await createTestSchema();
  const databaseUrl = `${schema.target.url}?search_path=${schema.target.schema}`;
  // nginx passes Host without its port: the instances learn the public origin instead.
  const proxyPort = freePort();
  const env = { CHAT_PUBLIC_URL: `http://127.0.0.1:${proxyPort}` };
  await using one = await instance(databaseUrl, env);
  await using two = await instance(databaseUrl, env);
  await using proxy = await nginx([one, two].map(portOf), proxyPort);
  await using browser = await withBrowser();

  const pages = await Promise.all([0, 1].map(async () => {
    const context = await browser.context();
    await noWebRtc(context);
    return await context.newPage();
  }));
  const [host, guest] = pages;
  const link = await mintLink(proxy.url);
  await joinRoom(host, link);
  await joinRoom(guest, link);
  await send(host, "before the outage");
  await waitForText(guest, "before the outage", '[role="log"]');
  await waitForText(host, "Relayed", ".path");

  // The instance holding more of the two sockets stops (both, when nginx put them together).
  const counts = await socketsSettled([one, two]);
  const [victim, survivor] = counts[0] >= counts[1] ? [one, two] : [two, one];
  await stop(victim);
  const during = ["sent during the outage by the host", "sent during the outage by the guest"];
  await send(host, during[0]);
  await send(guest, during[1]);
  await waitForText(guest, during[0], '[role="log"]');
  await waitForText(host, during[1], '[role="log"]');
  await send(guest, "after the outage");
  await waitForText(host, "after the outage", '[role="log"]');
  await waitForText(host, "Delivered", '[role="log"]');

  // Everyone now talks through the survivor, and each message shows once on both pages.
  assert.equal(await connectionsTo(portOf(survivor)), 2);
  for (const page of pages) {
    for (const text of ["before the outage", ...during, "after the outage"]) {
      assert.equal(await timesShown(page, text), 1, `"${text}" shown once`);
    }
  }
}

Deno.test(
  "[deploy] kill -9 of the instance holding a browser's socket: it reconnects through nginx, messages sent meanwhile arrive once",
  options,
  async () => {
    await failover(async (server) => {
      server.kill("SIGKILL");
      await server.exited;
    });
  },
);

Deno.test(
  "[deploy] SIGTERM of the instance holding a browser's socket: drained within 5 s, the browsers move, nothing lost",
  options,
  async () => {
    await failover(async (server) => {
      const started = Date.now();
      server.kill("SIGTERM");
      assert.equal(await server.exited, 0, server.output());
      assert.ok(Date.now() - started < 5_000, `drained in ${Date.now() - started} ms`);
    });
  },
);
