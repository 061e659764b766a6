/**
 * Screenshots of both pages at a phone width (375 px) and a desktop width (1280 px), light and
 * dark, written to docs/screenshots/ for review. The room is shown with both people connected
 * and a short conversation.
 */
import type { Page } from "playwright-core";
import { withServer } from "../helpers.ts";
import { ensureTestBuild, waitForIslands, waitForText, withBrowser } from "./fixtures.ts";

const OUT = new URL("../../docs/screenshots/", import.meta.url);
const WIDTHS = [375, 1280];
const SCHEMES = ["light", "dark"] as const;

Deno.test("[pages] screenshots of the landing page and the room", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await ensureTestBuild();
  await Deno.mkdir(OUT, { recursive: true });
  await using server = await withServer();
  await using browser = await withBrowser();

  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: new URL(name, OUT).pathname, fullPage: true, animations: "disabled" });

  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      const viewport = { width, height: width < 600 ? 812 : 900 };
      const page = await browser.page({ viewport, colorScheme: scheme, reducedMotion: "reduce" });
      await page.goto(server.url);
      await waitForIslands(page, ".mint[data-ready]");
      await shoot(page, `landing-${width}-${scheme}.png`);

      await page.getByRole("button", { name: "Create token" }).click();
      await page.locator("svg.qr-code").waitFor();
      await shoot(page, `landing-result-${width}-${scheme}.png`);
      const link = await page.getByRole("textbox", { name: "Share link" }).inputValue();
      await page.getByRole("link", { name: "Start chat" }).click();
      await waitForText(page, "Waiting for the other person");

      const guest = await browser.page({ viewport, colorScheme: scheme });
      await guest.goto(link);
      await waitForIslands(guest, ".room[data-ready]");
      await shoot(guest, `room-lobby-${width}-${scheme}.png`);
      await guest.getByRole("button", { name: "Join" }).click();
      await waitForText(page, "Connected", ".state-pill");
      const say = async (who: Page, text: string) => {
        await who.getByRole("textbox", { name: "Message" }).fill(text);
        await who.getByRole("button", { name: "Send" }).click();
      };
      await say(page, "Hi! This reaches you end-to-end encrypted, never stored.");
      await waitForText(guest, "never stored", '[role="log"]');
      await say(guest, "Got it. Our safety codes match.");
      await waitForText(page, "Our safety codes match", '[role="log"]');
      await waitForText(page, "Delivered", '[role="log"]');
      await page.locator('[aria-label="Safety code"] .safety-digits').waitFor();
      await shoot(page, `room-${width}-${scheme}.png`);
      await guest.context().close();
      await page.context().close();
    }
  }
});
