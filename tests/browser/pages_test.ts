/**
 * The pages in a real browser: islands hydrate and work, a page without islands loads no script,
 * the landing page works without JavaScript, the room's seats, reload and end, and axe-core.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { withServer } from "../helpers.ts";
import { spawnClockServer } from "./clock_server.ts";
import {
  BROWSER_TEST,
  describeViolations,
  ensureTestBuild,
  seriousA11yViolations,
  waitForIslands,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

const options = BROWSER_TEST;

async function mintInPage(page: Page, baseUrl: string): Promise<string> {
  await page.goto(baseUrl);
  await waitForIslands(page, ".mint[data-ready]");
  await page.getByRole("button", { name: "1 h", exact: true }).click();
  await page.getByRole("button", { name: "Create chat link" }).click();
  const link = page.getByRole("textbox", { name: "Share link" });
  await link.waitFor();
  return await link.inputValue();
}

async function status(baseUrl: string, link: string) {
  const token = new URL(link, baseUrl).pathname.split("/").at(-1);
  const response = await fetch(`${baseUrl}/api/sessions/${token}/status`);
  return await response.json() as { status: string; participants: unknown[] };
}

Deno.test(
  "[pages] the landing island hydrates, mints a link with a secret and copies it",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const context = await browser.context();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const page = await context.newPage();
    const link = await mintInPage(page, server.url);
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/session\/[A-Za-z0-9_-]{43}#[A-Za-z0-9_-]{43}$/);
    assert.equal(await page.getByLabel("Session length (minutes)").count(), 0);
    await page.locator("svg.qr-code").waitFor();
    await page.getByRole("button", { name: "Copy link" }).click();
    await waitForText(page, "Link copied.");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    assert.equal((await status(server.url, link)).participants.length, 0);
  },
);

Deno.test("[pages] a page without islands loads no script", options, async () => {
  await ensureTestBuild();
  await using server = await withServer();
  await using browser = await withBrowser();
  const page = await browser.page();
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(request.url());
  });
  const response = await page.goto(`${server.url}/no/such/page`);
  assert.equal(response?.status(), 404);
  await waitForText(page, "Nothing here");
  assert.deepEqual(scripts, []);
  assert.equal(await page.locator("script").count(), 0);
  assert.match(response!.headers()["content-security-policy"], /script-src 'none'/);
});

Deno.test("[pages] the landing page mints without JavaScript", options, async () => {
  await ensureTestBuild();
  await using server = await withServer();
  await using browser = await withBrowser();
  const page = await browser.page({ javaScriptEnabled: false });
  await page.goto(server.url);
  await page.getByLabel("Valid for").selectOption("1_week");
  await page.getByLabel("Session length (minutes)").fill("15");
  await page.getByRole("button", { name: "Create chat link" }).click();
  const link = await page.getByRole("textbox", { name: "Share link" }).inputValue();
  // No CHAT_PUBLIC_URL: the server never builds the link from the Host header, so it is a path,
  // and it draws no QR code (a code of a path opens nothing on a phone).
  assert.match(link, /^\/session\/[A-Za-z0-9_-]{43}$/);
  await waitForText(page, "weaker protection");
  assert.equal(await page.locator("svg.qr-code").count(), 0);
  // The post was answered with a redirect and the result shown once: a reload mints nothing more.
  await page.reload();
  assert.equal(await page.getByRole("textbox", { name: "Share link" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Create chat link" }).count(), 1);
  await page.goto(new URL(link, server.url).href);
  // Without JavaScript Join could do nothing: it is disabled, and the page says why.
  assert.ok(await page.getByRole("button", { name: "Join" }).isDisabled());
  assert.match(await page.locator("noscript").textContent() ?? "", /needs JavaScript/);
  assert.equal((await status(server.url, link)).participants.length, 0);
});

Deno.test(
  "[pages] room: Start chat takes the host seat, the guest joins, both end",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const host = await (await browser.context()).newPage();
    const link = await mintInPage(host, server.url);
    await host.getByRole("link", { name: "Start chat" }).click();
    await waitForText(host, "Waiting for the other person");
    assert.equal((await status(server.url, link)).participants.length, 1);

    const guest = await (await browser.context()).newPage();
    await guest.goto(link);
    await waitForIslands(guest, ".room[data-ready]");
    // Opening the link took no seat: only the Join button does.
    assert.equal((await status(server.url, link)).participants.length, 1);
    await guest.getByRole("button", { name: "Join" }).click();
    await waitForText(guest, "Connected", ".state-pill");
    await waitForText(host, "Connected", ".state-pill");
    assert.match(await host.getByRole("timer").innerText(), /^(?:\d:)?\d{1,2}:\d{2}$/);
    assert.equal(await host.getByRole("log").count(), 1);
    // The composer opens once the two devices have exchanged keys.
    await host.getByRole("textbox", { name: "Message" }).and(host.locator(":enabled")).waitFor();
    await host.getByLabel("Safety code").waitFor();

    await guest.reload();
    await waitForText(guest, "Connected", ".state-pill");
    assert.equal((await status(server.url, link)).participants.length, 2);

    await host.getByRole("button", { name: "End chat" }).click();
    await host.getByRole("button", { name: "End for both" }).click();
    await waitForText(host, "You ended the chat");
    await waitForText(guest, "The other person ended the chat");
    await guest.getByRole("link", { name: "Create a new chat link" }).waitFor();
    // Someone opening the link afterwards held no seat in it: they hear only that it is over.
    const stranger = await browser.page();
    await stranger.goto(link);
    await waitForText(stranger, "This chat has ended");
    assert.equal(await stranger.getByText("Nothing of it was stored").count(), 0);
  },
);

Deno.test(
  "[pages] axe finds no serious or critical violation on either page",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    for (const scheme of ["light", "dark"] as const) {
      const page = await browser.page({ colorScheme: scheme });
      const check = async (what: string) => {
        const violations = await seriousA11yViolations(page);
        assert.equal(
          violations.length,
          0,
          `${what} (${scheme}):\n${describeViolations(violations)}`,
        );
      };
      const link = await mintInPage(page, server.url);
      await check("landing result");
      await page.goto(server.url);
      await waitForIslands(page, ".mint[data-ready]");
      await check("landing");
      await page.goto(link);
      await waitForIslands(page, ".room[data-ready]");
      await check("room lobby");
      await page.getByRole("button", { name: "Join" }).click();
      await waitForText(page, "Waiting for the other person");
      await check("room");
    }
  },
);

Deno.test("[pages] room: the last five minutes show a warning", options, async () => {
  await ensureTestBuild();
  await using server = await spawnClockServer();
  await using browser = await withBrowser();
  const minted = await fetch(`${server.url}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 30 }),
  });
  const { token } = await minted.json();
  const pages = [await browser.page(), await browser.page()];
  for (const page of pages) {
    await page.goto(`${server.url}/session/${token}`);
    await waitForIslands(page, ".room[data-ready]");
    await page.getByRole("button", { name: "Join" }).click();
  }
  await pages[0].getByRole("timer").filter({ hasText: /^(30:00|29:\d\d)$/ }).waitFor();
  assert.equal(await pages[0].locator(".time-warning").count(), 0, "not yet");
  // 25½ minutes later; a reload reads the server's time, as any page load does.
  await server.advance(25.5 * 60_000);
  await pages[0].reload();
  await waitForText(pages[0], "Less than 5 minutes left");
  assert.match(await pages[0].getByRole("timer").innerText(), /^4:[0-5]\d$/);
  assert.equal(await pages[0].locator(".countdown[data-warning]").count(), 1);
});
