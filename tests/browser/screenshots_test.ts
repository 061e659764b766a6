/**
 * Screenshots of both pages at two phone widths (360 and 390 px) and two desktop widths (1280 and
 * 1920 px), light and dark, written to docs/screenshots/ for review. The room is shown while the
 * host waits with the invitation, and with both people connected and a long conversation that
 * ends with a picture and a file.
 */
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { withServer } from "../helpers.ts";
import { ensureTestBuild, waitForIslands, waitForText, withBrowser } from "./fixtures.ts";

const OUT = new URL("../../docs/screenshots/", import.meta.url);
const WIDTHS = [360, 390, 1280, 1920];
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
      const phone = width < 600;
      const viewport = { width, height: phone ? 800 : width > 1600 ? 1080 : 900 };
      const device = { viewport, isMobile: phone, hasTouch: phone };
      const page = await browser.page({ ...device, colorScheme: scheme, reducedMotion: "reduce" });
      await page.goto(server.url);
      await waitForIslands(page, ".mint[data-ready]");
      await shoot(page, `landing-${width}-${scheme}.png`);

      await page.getByRole("button", { name: "Create chat link" }).click();
      await page.locator("svg.qr-code").waitFor();
      await shoot(page, `landing-result-${width}-${scheme}.png`);
      const link = await page.getByRole("textbox", { name: "Share link" }).inputValue();
      await page.getByRole("link", { name: "Start chat" }).click();
      await waitForText(page, "Waiting for the other person");
      await page.getByRole("img", { name: "QR code of the chat link" }).waitFor();
      await shoot(page, `room-waiting-${width}-${scheme}.png`);

      const guest = await browser.page({ ...device, colorScheme: scheme });
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
      for (let i = 1; i <= 6; i++) {
        await say(guest, `Line ${i} of a longer conversation, so the screen fills up.`);
        await say(page, i % 2 ? `Noted ${i}.` : `See https://example.org/notes/${i} for more.`);
      }
      await page.getByRole("button", { name: "Reply to “Line 6" }).click();
      await say(page, "Yes, this one: a reply quotes it.");
      await waitForText(guest, "a reply quotes it", '[role="log"]');
      // A picture and a file from the guest: their cards, the preview and "Save".
      const picture = await guest.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } });
      const files = guest.locator('input[type="file"]');
      await files.setInputFiles({ name: "sketch.png", mimeType: "image/png", buffer: picture });
      await files.setInputFiles({
        name: "notes.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.alloc(1_200_000, 7),
      });
      await page.getByRole("link", { name: "Save notes.pdf" }).waitFor();
      await waitForText(page, "Delivered", '[role="log"]');
      await page.locator('[aria-label="Safety code"] .safety-digits').waitFor({
        state: "attached",
      });
      await shoot(page, `room-${width}-${scheme}.png`);
      if (phone) {
        await page.getByRole("button", { name: "Details" }).click();
        await shoot(page, `room-details-${width}-${scheme}.png`);
      }
      await guest.context().close();
      await page.context().close();
    }
  }
});
