/**
 * Browser test helpers: Chromium through playwright-core, a build of the islands made once per
 * test process, waiting on text instead of sleeping, and an axe-core accessibility check.
 */
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ensureBuilt } from "../../framework/build.ts";

export const CHROMIUM_ARGS = [
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

/** Debian's Chromium, headless; `await using` closes it. Never downloads a browser. */
export async function withBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
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
