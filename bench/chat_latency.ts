/**
 * Time from the guest's Join click to the first delivered message, in two real Chromium contexts
 * against a real server: direct (WebRTC data channel) and relayed (WebRTC removed from the host's
 * context, so every envelope goes through the server's relay).
 *
 * One run: the host has joined and waits; the clock starts when the guest clicks "Join"; the host
 * sends a message as soon as its composer opens (keys exchanged); the clock stops when the host's
 * message shows "Delivered", i.e. the guest's acknowledgement came back. So the figure covers the
 * guest's join request, its socket, the key exchange, one message and its acknowledgement.
 * "to direct" is how long after the Join click the path indicator said "Direct".
 *
 *   deno run -A bench/chat_latency.ts [--smoke]
 */
import type { Browser, Page } from "playwright-core";
import { newLinkSecret } from "../client/crypto/link_secret.ts";
import { systemClock } from "../server/clock.ts";
import { withServer } from "../tests/helpers.ts";
import { ensureTestBuild, waitForIslands, withBrowser } from "../tests/browser/fixtures.ts";
import type { SectionResult } from "./report.ts";
import { percentile } from "./stats.ts";

const WAIT_MS = 20_000;

async function mintLink(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 30 }),
  });
  const { token } = await response.json();
  return `${baseUrl}/session/${token}#${newLinkSecret()}`;
}

async function openRoom(browser: Browser, link: string, webrtc: boolean): Promise<Page> {
  const context = await browser.newContext();
  if (!webrtc) {
    await context.addInitScript(() => {
      delete (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection;
    });
  }
  const page = await context.newPage();
  if (Deno.env.get("BENCH_DEBUG")) {
    page.on("console", (m) => console.log(webrtc ? "[w]" : "[-]", m.text(), m.location().url));
  }
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(link);
  await waitForIslands(page, ".room[data-ready]");
  return page;
}

/** Polls from the driver (Playwright's in-page waits stall in a page that lost focus). */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error("Timed out waiting for the direct path");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface RunResult {
  delivered: number;
  direct: number | null;
}

async function oneRun(browser: Browser, baseUrl: string, relayed: boolean): Promise<RunResult> {
  const link = await mintLink(baseUrl);
  const host = await openRoom(browser, link, !relayed);
  await host.getByRole("button", { name: "Join" }).click();
  await host.getByText("Waiting for the other person").first().waitFor();
  const guest = await openRoom(browser, link, true);
  try {
    const start = performance.now();
    await guest.getByRole("button", { name: "Join" }).click();
    const message = host.getByRole("textbox", { name: "Message" });
    await message.and(host.locator(":enabled")).waitFor();
    await message.fill("latency probe");
    await host.getByRole("button", { name: "Send" }).click();
    await host.getByRole("log").getByText("Delivered").waitFor();
    const delivered = performance.now() - start;
    let direct: number | null = null;
    if (!relayed) {
      await until(async () => {
        const t = await host.locator(".path").innerText();
        if (Deno.env.get("BENCH_DEBUG")) console.log(Math.round(performance.now() - start), t);
        return t === "Direct";
      });
      direct = performance.now() - start;
    }
    return { delivered, direct };
  } finally {
    await host.context().close();
    await guest.context().close();
  }
}

/** Runs both cases `runs` times each and returns medians and maxima in milliseconds. */
export async function chatLatencyBench(
  options: { runs?: number; smoke?: boolean } = {},
): Promise<SectionResult> {
  const runs = options.runs ?? (options.smoke ? 2 : 7);
  await ensureTestBuild();
  await using server = await withServer({
    clock: systemClock,
    env: { CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000" },
  });
  await using browser = await withBrowser();
  const result: SectionResult = { rows: [], checks: [], notes: [] };
  for (const relayed of [false, true]) {
    const delivered: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await oneRun(browser.browser, server.url, relayed);
      delivered.push(run.delivered);
      if (run.direct !== null) direct.push(run.direct);
    }
    const path = relayed ? "relayed" : "direct";
    delivered.sort((a, b) => a - b);
    direct.sort((a, b) => a - b);
    result.rows.push({
      section: "chat",
      subject: `guest Join click -> first message delivered (${path}), median of ${runs}`,
      value: percentile(delivered, 50),
      unit: "ms",
      p50: percentile(delivered, 50),
      max: delivered.at(-1),
    });
    if (direct.length > 0) {
      result.rows.push({
        section: "chat",
        subject: `guest Join click -> path shows Direct, median of ${runs}`,
        value: percentile(direct, 50),
        unit: "ms",
        p50: percentile(direct, 50),
        max: direct.at(-1),
      });
    }
  }
  const direct = result.rows[0];
  result.checks.push({
    name: "chat: Join click to first delivered message, direct (original: ~1.8 s to open)",
    value: direct.value,
    target: "< 1800 ms",
    met: direct.value < 1800,
  });
  result.notes.push(
    "chat: the original ChatOrbit took about 1.8 s to open its channel; here the clock covers the " +
      "guest's join request, socket, key exchange, one message and its acknowledgement.",
  );
  return result;
}

if (import.meta.main) {
  const result = await chatLatencyBench({ smoke: Deno.args.includes("--smoke") });
  for (const row of result.rows) {
    console.log(`${row.value.toFixed(0).padStart(6)} ms  ${row.subject}`);
  }
}
