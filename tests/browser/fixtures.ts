/**
 * The browser tests' one fixture module: Chromium through playwright-core (also one that resolves
 * `chat.lan` to 127.0.0.1, an insecure origin exactly like a LAN address), a build of the islands
 * made once per test process, waiting on text instead of sleeping, an axe-core check, and the room
 * steps the chat tests share (mint a link, take a seat, send, read the log and the frames).
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ensureBuilt } from "../../framework/build.ts";

/** Options of every browser test: Playwright keeps sockets and timers of its own open. */
export const BROWSER_TEST = { sanitizeOps: false, sanitizeResources: false };
const LAN_HOST = "chat.lan";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-features=WebRtcHideLocalIpsWithMdns",
];

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own storage); options pass through to Playwright. */
  context(options?: Parameters<Browser["newContext"]>[0]): Promise<BrowserContext>;
  /** A page in a fresh context. */
  page(options?: Parameters<Browser["newContext"]>[0]): Promise<Page>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Debian's Chromium, headless; `await using` closes it. Never downloads a browser. With `lan`,
 * `chat.lan` resolves to 127.0.0.1 (see onLan); `args` are added to the usual flags.
 */
export async function withBrowser(
  options: { lan?: boolean; args?: string[] } = {},
): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    args: [
      ...CHROMIUM_ARGS,
      ...(options.lan ? [`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`] : []),
      ...options.args ?? [],
    ],
    headless: true,
  });
  const context = (options?: Parameters<Browser["newContext"]>[0]) => browser.newContext(options);
  return {
    browser,
    context,
    page: async (options) => (await context(options)).newPage(),
    [Symbol.asyncDispose]: () => browser.close(),
  };
}

let built: Promise<boolean> | null = null;

/** Builds the islands if their output is missing or stale, once per test process. */
export function ensureTestBuild(): Promise<boolean> {
  return built ??= ensureBuilt();
}

/** Waits until `text` is visible inside `selector` (the body by default). */
export async function waitForText(page: Page, text: string, selector = "body"): Promise<void> {
  await page.locator(selector).getByText(text, { exact: false }).first().waitFor({
    state: "visible",
  });
}

/** Waits until every island on the page (or the one matching `selector`) has hydrated. */
export async function waitForIslands(page: Page, selector = "[data-ready]"): Promise<void> {
  await page.locator(selector).first().waitFor({ state: "attached" });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page and returns serious and critical violations. The source goes in
 * through the DevTools protocol (page.evaluate), which the page's CSP does not govern.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const source = (axe as unknown as { source: string }).source;
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const result = await (globalThis as any).axe.run(document, {
      resultTypes: ["violations"],
    });
    return result.violations as AxeViolation[];
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** One line per violation, for assertion messages. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
  ).join("\n");
}

export interface MintOptions {
  minutes?: number;
  /** No link secret in the fragment (a bare-token link). */
  bare?: boolean;
  /** The HTTP client to mint with (a test CA, say). */
  client?: Deno.HttpClient;
}

/** Mints a token and returns the room's path, with a link secret unless `bare`. */
export async function mintPath(baseUrl: string, options: MintOptions = {}): Promise<string> {
  const { newLinkSecret } = await import("../../client/crypto/link_secret.ts");
  const response = await fetch(`${baseUrl}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: options.minutes ?? 30 }),
    client: options.client,
  });
  const { token } = await response.json();
  return `/session/${token}${options.bare ? "" : `#${newLinkSecret()}`}`;
}

/** Mints a token and returns its share link on `baseUrl`. */
export async function mintLink(baseUrl: string, options: MintOptions = {}): Promise<string> {
  return baseUrl + await mintPath(baseUrl, options);
}

/** `url` with its host swapped for the insecure LAN name. */
export const onLan = (url: string) => {
  const u = new URL(url);
  u.hostname = LAN_HOST;
  return u.href.replace(/\/$/, "");
};

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
    assert.equal(await page.locator(".composer [role=alert]").count(), 0);
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
  const link = await mintLink(baseUrl, options);
  const host = await browser.page();
  const guest = await browser.page();
  const frames = [host, guest].map((page) => record(page).frames);
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

/**
 * Waits until the other person's video in a call shows frames: it has a size and its time has
 * passed `seconds` (0: the first frame; `polling: "raf"` for measuring how soon that is).
 */
export async function remoteVideoPlays(page: Page, seconds = 0.3): Promise<void> {
  await page.waitForFunction(
    (after) => {
      const element = document.querySelector<HTMLVideoElement>("video.call-remote");
      return !!element && element.videoWidth > 0 && element.currentTime > after;
    },
    seconds,
    { timeout: 20_000, polling: "raf" },
  );
}
