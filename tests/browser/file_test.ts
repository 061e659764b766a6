/**
 * Files between two real Chromium contexts: sealed in the chat's envelopes over the direct link
 * and, for small files, the server's relay; checked before "Save"; cancelled from either side;
 * refused before sending when over the limit; wiped when the chat's time runs out.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { ManualClock } from "../../server/clock.ts";
import { withServer } from "../helpers.ts";
import {
  BROWSER_TEST,
  converse,
  describeViolations,
  ensureTestBuild,
  joinRoom,
  log,
  mintLink,
  noWebRtc,
  record,
  seatedPair,
  seriousA11yViolations,
  type TestBrowser,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

/** `size` bytes that repeat no short pattern (xorshift), starting with a marker to look for. */
function fileBytes(size: number, marker = "FILE-MARKER-"): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = 2463534242;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  bytes.set(new TextEncoder().encode(marker).subarray(0, size));
  return bytes;
}

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

const sha256 = async (bytes: Uint8Array) =>
  hex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));

async function attach(page: Page, name: string, mimeType: string, bytes: Uint8Array) {
  await page.locator('input[type="file"]').setInputFiles({
    name,
    mimeType,
    buffer: Buffer.from(bytes),
  });
}

/** The SHA-256 of what the receiver's "Save" saves (a real download). */
async function savedSha256(page: Page, name: string): Promise<string> {
  const save = log(page).getByRole("link", { name: `Save ${name}` });
  await save.waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), save.click()]);
  assert.equal(download.suggestedFilename(), name);
  return await sha256(await Deno.readFile((await download.path())!));
}

/**
 * Lets a test hold what `page` sends on its socket (a receiver whose uplink stalls), so that a
 * transfer waits at its window for acknowledgements instead of racing the test's clicks.
 */
async function holdableUplink(page: Page) {
  let held: (string | Buffer)[] | null = null;
  let forward: (message: string | Buffer) => void = () => {};
  await page.routeWebSocket(/\/ws/, (socket) => {
    const server = socket.connectToServer();
    forward = (message) => server.send(message);
    socket.onMessage((message) => held ? held.push(message) : forward(message));
  });
  return {
    hold: () => void (held ??= []),
    release: () => {
      const queued = held ?? [];
      held = null;
      for (const message of queued) forward(message);
    },
  };
}

/** Two seats whose browsers have no WebRTC: everything goes through the relay. */
async function relayedPair(browser: TestBrowser, url: string) {
  const link = await mintLink(url);
  const pages: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const context = await browser.context();
    await noWebRtc(context);
    pages.push(await context.newPage());
  }
  const [host, guest] = pages;
  const frames = pages.map((page) => record(page).frames);
  const guestUplink = await holdableUplink(guest);
  await joinRoom(host, link);
  await joinRoom(guest, link);
  await converse(host, guest);
  await waitForText(host, "Relayed", ".path");
  return { host, guest, guestUplink, frames: () => frames.flat() };
}

Deno.test(
  "[files] a 20 MB file over the direct path arrives byte-identical; a picture shows",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url);
    await waitForText(host, "Direct", ".path");
    const big = fileBytes(20_000_000);
    await attach(host, "big.bin", "application/octet-stream", big);
    await waitForText(guest, "big.bin", '[role="log"]');
    assert.equal(await savedSha256(guest, "big.bin"), await sha256(big));
    await waitForText(host, "Sent", '[role="log"] .file-card');

    // A picture is shown where it arrived, decoded from the checked bytes.
    const png = Uint8Array.from(
      atob(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGPQyUoFIgYIBQAangPtmz6DbwAA" +
          "AABJRU5ErkJggg==",
      ),
      (c) => c.charCodeAt(0),
    );
    await attach(guest, "dot.png", "image/png", png);
    const picture = log(host).getByRole("img", { name: "Picture: dot.png" });
    await picture.waitFor();
    assert.ok(await picture.evaluate((img: HTMLImageElement) => img.naturalWidth === 2));
    const violations = await seriousA11yViolations(host);
    assert.equal(violations.length, 0, describeViolations(violations));

    // The sender deletes it from both screens.
    await log(guest).getByRole("button", { name: "Delete dot.png, 73 B" }).click();
    await log(host).getByRole("img").waitFor({ state: "detached" });
    await waitForText(host, "They deleted a message.", '[role="log"]');
  },
);

Deno.test(
  "[files] over the relay: 2 MB arrive sealed; too big is refused before sending; cancel stops both",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest, guestUplink, frames } = await relayedPair(browser, server.url);
    const small = fileBytes(2_000_000, "RELAYED-FILE-MARKER");
    await attach(guest, "small.bin", "application/octet-stream", small);
    assert.equal(await savedSha256(host, "small.bin"), await sha256(small));
    const all = frames();
    const marker = btoa("RELAYED-FILE-MARKER").slice(0, 16);
    for (const frame of all) {
      assert.ok(!frame.includes("RELAYED-FILE") && !frame.includes(marker), "file bytes in clear");
    }

    // Several picked at once share the relay's window and all arrive intact.
    const batch = ["one.bin", "two.bin", "three.bin"].map((name, i) => ({
      name,
      mimeType: "application/octet-stream",
      buffer: Buffer.from(fileBytes(400_000 + i, `BATCH-${i}-`)),
    }));
    await guest.locator('input[type="file"]').setInputFiles(batch);
    for (const { name, buffer } of batch) {
      assert.equal(await savedSha256(host, name), await sha256(new Uint8Array(buffer)), name);
    }

    // Over the relay's cap: said at once, and nothing reaches the other side.
    await attach(host, "large.bin", "application/octet-stream", fileBytes(6_000_000));
    await waitForText(host, "while the connection is relayed files up to 5.0 MB", ".chat");
    assert.equal(await log(guest).getByText("large.bin").count(), 0);
    assert.equal(await log(host).getByText("large.bin").count(), 0);

    // Cancelled by the receiver while it travels: both sides stop. The receiver's
    // acknowledgements are held meanwhile, so the sender waits at its window and the transfer
    // cannot finish before the click lands (it would turn "Cancel" into "Save" under it).
    guestUplink.hold();
    await attach(host, "first.bin", "application/octet-stream", fileBytes(4_500_000));
    await log(guest).getByText("Receiving…").waitFor();
    await log(guest).getByRole("button", { name: "Cancel first.bin, 4.5 MB" }).click();
    await waitForText(guest, "Cancelled.", '[role="log"]');
    guestUplink.release();
    await waitForText(host, "They cancelled it.", '[role="log"]');
    // And by the sender (whose "Cancel" would otherwise turn into "Delete" if it finished first).
    guestUplink.hold();
    await attach(host, "second.bin", "application/octet-stream", fileBytes(4_500_000));
    await log(guest).getByText("second.bin").waitFor();
    await log(host).getByRole("button", { name: "Cancel second.bin, 4.5 MB" }).click();
    await waitForText(guest, "They cancelled it.", '[role="log"] li:has-text("second.bin")');
    guestUplink.release();
    assert.equal(
      await log(host).getByRole("link", { name: /^Save/ }).count(),
      4,
      "the earlier four",
    );
    // Nothing here may cost a socket (the server closes one whose queue passes its cap).
    for (const page of [host, guest]) {
      assert.equal(await log(page).getByText("connection to the other person was lost").count(), 0);
    }
  },
);

Deno.test(
  "[files] when the time runs out mid-transfer both screens wipe",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    const clock = new ManualClock(Date.now());
    await using server = await withServer({ clock });
    await using browser = await withBrowser();
    const { host, guest } = await relayedPair(browser, server.url);
    await attach(host, "slow.bin", "application/octet-stream", fileBytes(4_500_000));
    await log(guest).getByText("Receiving…").waitFor();
    clock.advance(31 * 60_000);
    for (const page of [host, guest]) {
      await page.locator("#ended-title").waitFor();
      assert.equal(await page.getByText("slow.bin").count(), 0);
      assert.equal(await log(page).count(), 0);
    }
  },
);
