/**
 * Helpers for the network tests: a Chromium that resolves `chat.lan` to 127.0.0.1, so
 * `http://chat.lan:PORT` is an insecure origin exactly like a LAN address, and the room steps the
 * chat tests share.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, waitForIslands, waitForText } from "./helpers.ts";

export const LAN_HOST = "chat.lan";

export async function lanBrowser(extraArgs: string[] = []): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`, ...extraArgs],
    headless: true,
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

/** `url` with its host swapped for the insecure LAN name. */
export const onLan = (url: string) => {
  const u = new URL(url);
  u.hostname = LAN_HOST;
  return u.href.replace(/\/$/, "");
};

export async function mintLink(
  baseUrl: string,
  init: RequestInit & { client?: Deno.HttpClient } = {},
): Promise<string> {
  const { newLinkSecret } = await import("../../client/crypto/link_secret.ts");
  const response = await fetch(`${baseUrl}/api/tokens`, {
    ...init,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 30 }),
  });
  const { token } = await response.json();
  return `/session/${token}#${newLinkSecret()}`;
}

/** Records every WebSocket frame and every script URL a page loads. */
export function record(page: Page): { frames: string[]; scripts: string[] } {
  const frames: string[] = [];
  const scripts: string[] = [];
  page.on("websocket", (socket) => {
    socket.on("framesent", (frame) => frames.push(String(frame.payload)));
    socket.on("framereceived", (frame) => frames.push(String(frame.payload)));
  });
  page.on("request", (request) => {
    if (request.url().endsWith(".js")) scripts.push(request.url());
  });
  return { frames, scripts };
}

export async function joinRoom(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await waitForIslands(page, ".room[data-ready]");
  await page.getByRole("button", { name: "Join" }).click();
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

export async function converse(host: Page, guest: Page): Promise<void> {
  await send(host, "hello from the host");
  await waitForText(guest, "hello from the host", '[role="log"]');
  await send(guest, "hello from the guest");
  await waitForText(host, "hello from the guest", '[role="log"]');
}

export async function safetyCode(page: Page): Promise<string> {
  const code = page.locator('[aria-label="Safety code"] .safety-digits');
  await code.waitFor();
  return await code.innerText();
}
