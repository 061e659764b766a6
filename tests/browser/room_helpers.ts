/** Room steps the chat browser tests share: mint a link, take a seat, send, read the log. */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { type TestBrowser, waitForIslands, waitForText } from "./helpers.ts";

/** Mints a token and returns its share link (with a link secret unless `bare`). */
export async function mintLink(baseUrl: string, minutes = 30, bare = false): Promise<string> {
  const { newLinkSecret } = await import("../../client/crypto/link_secret.ts");
  const response = await fetch(`${baseUrl}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: minutes }),
  });
  const { token } = await response.json();
  return `${baseUrl}/session/${token}${bare ? "" : `#${newLinkSecret()}`}`;
}

/** The distinct `signalType`s among recorded frames. */
export function signalTypes(frames: string[]): string[] {
  return [
    ...new Set(
      frames.map((frame) => JSON.parse(frame)).filter((f) => f.type === "signal").map((f) =>
        f.signalType
      ),
    ),
  ];
}

/** Records every WebSocket frame a page sends or receives. */
export function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on("websocket", (socket) => {
    socket.on("framesent", (frame) => frames.push(String(frame.payload)));
    socket.on("framereceived", (frame) => frames.push(String(frame.payload)));
  });
  return frames;
}

export async function joinRoom(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await waitForIslands(page, ".room[data-ready]");
  await page.getByRole("button", { name: "Join" }).click();
}

export async function send(page: Page, text: string): Promise<void> {
  const field = page.getByRole("textbox", { name: "Message" });
  await field.fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

export const log = (page: Page) => page.getByRole("log");

export async function safetyCode(page: Page): Promise<string> {
  const code = page.locator('[aria-label="Safety code"] .safety-digits');
  await code.waitFor();
  return await code.innerText();
}

export async function converse(host: Page, guest: Page) {
  await send(host, "hello from the host");
  await waitForText(guest, "hello from the host", '[role="log"]');
  await send(guest, "hello from the guest");
  await waitForText(host, "hello from the guest", '[role="log"]');
  await waitForText(host, "Delivered", '[role="log"]');
  // A sent message leaves the composer empty and says nothing went wrong.
  for (const page of [host, guest]) {
    assert.equal(await page.getByRole("textbox", { name: "Message" }).inputValue(), "");
    assert.equal(await page.locator(".chat .form-error, .composer [role=alert]").count(), 0);
  }
}

/**
 * Mints a link, seats two fresh contexts in it and has them exchange one message each way;
 * `frames()` lists every socket frame either page sent or received.
 */
export async function seatedPair(
  browser: TestBrowser,
  baseUrl: string,
  options: { minutes?: number; bare?: boolean } = {},
) {
  const link = await mintLink(baseUrl, options.minutes, options.bare);
  const host = await browser.page();
  const guest = await browser.page();
  const frames = [host, guest].map(recordFrames);
  await joinRoom(host, link);
  await joinRoom(guest, link);
  await converse(host, guest);
  return { host, guest, link, frames: () => frames.flat() };
}

export async function noWebRtc(context: BrowserContext) {
  await context.addInitScript(() => {
    // deno-lint-ignore no-explicit-any
    const w = globalThis as any;
    delete w.RTCPeerConnection;
    delete w.webkitRTCPeerConnection;
  });
}
