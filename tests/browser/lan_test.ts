/**
 * The chat where people open it on a network: on an insecure origin (`http://chat.lan:PORT`, no
 * `crypto.subtle`) through the on-demand noble fallback, mixed with a secure origin, and failures
 * that must say what happened instead of hanging.
 */
import assert from "node:assert/strict";
import { withServer } from "../helpers.ts";
import {
  BROWSER_TEST,
  converse,
  ensureTestBuild,
  joinRoom,
  mintPath,
  onLan,
  record,
  safetyCode,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

const options = BROWSER_TEST;
const FALLBACK_CHUNK = /noble_primitives-[^/]+\.js$/;

Deno.test(
  "[lan] on an insecure origin the chat works sealed, with the warning",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser({ lan: true });
    const base = onLan(server.url);
    const link = base + await mintPath(server.url);
    const secret = new URL(link).hash.slice(1);
    const host = await browser.page();
    const guest = await browser.page();
    const [hostSeen, guestSeen] = [host, guest].map(record);
    await joinRoom(host, link);
    await joinRoom(guest, link);
    assert.equal(await host.evaluate(() => isSecureContext || !!crypto.subtle), false);
    await converse(host, guest);
    assert.equal(await safetyCode(host), await safetyCode(guest));
    for (const page of [host, guest]) {
      await page.locator("#insecure-origin").waitFor({ state: "visible" });
      await waitForText(page, "sealed end to end", "#insecure-origin");
      await waitForText(page, "open the https address", "#insecure-origin");
    }
    assert.ok(hostSeen.scripts.some((url) => FALLBACK_CHUNK.test(url)), "the fallback was loaded");
    // Browsers give camera and microphone to secure contexts only: the call buttons say so.
    assert.ok(await host.getByRole("button", { name: "Video call" }).isDisabled());
    await waitForText(host, "Calls need a secure connection", ".call-bar");

    await host.getByRole("log").getByRole("button", { name: "Delete" }).first().click();
    await guest.getByRole("log").getByText("hello from the host").waitFor({ state: "detached" });
    await guest.getByRole("log").getByRole("button", { name: "Delete" }).first().click();
    await host.getByRole("log").getByText("hello from the guest").waitFor({ state: "detached" });

    const frames = [...hostSeen.frames, ...guestSeen.frames];
    assert.ok(frames.length > 0);
    for (const frame of frames) {
      assert.ok(
        !frame.includes("hello from"),
        `plaintext crossed the server: ${frame.slice(0, 80)}`,
      );
      assert.ok(!frame.includes(secret), "the link secret crossed the server");
    }
  },
);

Deno.test("[lan] an insecure-origin browser and a secure-origin one talk", options, async () => {
  await ensureTestBuild();
  await using server = await withServer();
  await using browser = await withBrowser({ lan: true });
  const path = await mintPath(server.url);
  const host = await browser.page();
  const guest = await browser.page();
  const guestSeen = record(guest);
  await joinRoom(host, onLan(server.url) + path);
  await joinRoom(guest, server.url + path);
  assert.equal(await guest.evaluate(() => isSecureContext && !!crypto.subtle), true);
  await converse(host, guest);
  assert.equal(await safetyCode(host), await safetyCode(guest));
  // The secure side never fetched the fallback, nor shows the warning.
  assert.ok(guestSeen.scripts.length > 0);
  assert.ok(!guestSeen.scripts.some((url) => /noble|nist/.test(url)), guestSeen.scripts.join());
  assert.equal(await guest.locator("#insecure-origin").count(), 0);
});

Deno.test(
  "[lan] without Web Crypto or its fallback the room says so, as an alert",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser({ lan: true });
    const context = await browser.context();
    // Break Web Crypto on a secure origin and block the fallback chunk: nothing can encrypt.
    await context.addInitScript(() => {
      Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined });
    });
    await context.route(FALLBACK_CHUNK, (route) => route.abort());
    const page = await context.newPage();
    await joinRoom(page, server.url + await mintPath(server.url));
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /could not load the encryption code.*reload the page/s);
  },
);

Deno.test(
  "[lan] a key exchange that stalls for 10 s is reported on both screens",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser({ lan: true });
    const path = await mintPath(server.url);
    const host = await browser.page();
    const guestContext = await browser.context();
    // The guest's key agreement never finishes: the exchange stalls without any error.
    await guestContext.addInitScript(() => {
      SubtleCrypto.prototype.deriveBits = () => new Promise(() => {});
    });
    const guest = await guestContext.newPage();
    await joinRoom(host, server.url + path);
    await joinRoom(guest, server.url + path);
    for (const page of [host, guest]) {
      const alert = page.getByRole("alert");
      await alert.waitFor({ timeout: 20_000 });
      assert.match(await alert.innerText(), /has not finished after 10 seconds/);
    }
  },
);

Deno.test(
  "[lan] a stalled key exchange is reported, then clears once it completes",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser({ lan: true });
    const link = server.url + await mintPath(server.url);
    const host = await browser.page();
    const guestContext = await browser.context();
    // The guest's socket loses every signalling frame until told otherwise (a stalled network).
    let dropping = true;
    await guestContext.routeWebSocket(/\/ws\//, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        if (!(dropping && String(message).includes('"type":"signal"'))) ws.send(message);
      });
      ws.onMessage((message) => upstream.send(message));
    });
    const guest = await guestContext.newPage();
    await joinRoom(host, link);
    await joinRoom(guest, link);
    const alert = guest.getByRole("alert");
    await alert.waitFor({ timeout: 20_000 });
    assert.match(await alert.innerText(), /has not finished after 10 seconds.*keeps trying/s);
    dropping = false;
    await alert.waitFor({ state: "detached", timeout: 20_000 });
    await converse(host, guest);
    assert.equal(await safetyCode(host), await safetyCode(guest));
  },
);

Deno.test(
  "[lan] sharing on an insecure origin: copy without the Clipboard API, no Share",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser({ lan: true });
    const page = await browser.page();
    const base = onLan(server.url);
    await page.goto(base);
    await page.locator(".mint[data-ready]").waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Create chat link" }).click();
    const field = page.getByRole("textbox", { name: "Share link" });
    await field.waitFor();
    const link = await field.inputValue();
    assert.ok(link.startsWith(`${base}/session/`), "the link (and its QR code) use this address");
    await page.locator("svg.qr-code").waitFor();
    assert.equal(await page.evaluate(() => typeof navigator.clipboard), "undefined");
    assert.equal(await page.getByRole("button", { name: "Share…" }).count(), 0);
    assert.equal(await page.locator("#local-only").count(), 0);

    await page.getByRole("button", { name: "Copy link" }).click();
    await page.getByRole("status").filter({ hasText: /Link copied|the link is selected/ })
      .waitFor();
    const selected = await page.evaluate(() => {
      const input = document.activeElement as HTMLInputElement;
      return input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0);
    });
    assert.equal(selected, link, "the link is selected, ready to copy by hand");

    // Made on this computer's loopback address, the link says a phone cannot open it.
    const local = await browser.page();
    await local.goto(server.url);
    await local.locator(".mint[data-ready]").waitFor({ state: "attached" });
    await local.getByRole("button", { name: "Create chat link" }).click();
    await local.locator("#local-only").waitFor();
  },
);
