/**
 * The room as a chat screen (issue 12): the one scroller follows the newest message and offers
 * "New messages" when the reader scrolled up; the host's invitation while waiting; the title and
 * focus; deletion with undo and a line on both screens; a second tab; Enter on touch screens;
 * what screen readers hear; links; a phone's full-screen layout with its details panel; offline.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { withServer } from "../helpers.ts";
import {
  BROWSER_TEST,
  describeViolations,
  ensureTestBuild,
  joinRoom,
  log,
  mintLink,
  seatedPair,
  send,
  seriousA11yViolations,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

const PHONE = { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true };

const field = (page: Page) => page.getByRole("textbox", { name: "Message" });
const ready = (page: Page) => page.locator("#composer-text:not([disabled])").waitFor();
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

/** Whether the log's last item is inside the log's visible box. */
function newestInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const box = document.querySelector(".message-log")!.getBoundingClientRect();
    const items = document.querySelectorAll(".message-list > li");
    const last = items[items.length - 1].getBoundingClientRect();
    return last.bottom <= box.bottom + 1 && last.top >= box.top - 1;
  });
}

/** Makes the page believe it is in the background (or back), as a tab switch does. */
function setHidden(page: Page, hidden: boolean) {
  return page.evaluate((hidden) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => hidden ? "hidden" : "visible",
    });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

Deno.test(
  "[room] on a phone the newest message stays in view, and scrolling up offers New messages",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const link = await mintLink(server.url);
    const host = await browser.page(PHONE);
    const guest = await browser.page(PHONE);
    await joinRoom(host, link);
    // The host's invitation: the whole link with its secret part, Copy, and a QR code.
    await waitForText(host, "Invite the other person");
    assert.equal(await host.getByRole("textbox", { name: "Chat link" }).inputValue(), link);
    assert.equal(await host.getByRole("button", { name: "Copy link" }).count(), 1);
    await host.getByRole("img", { name: "QR code of the chat link" }).waitFor();
    let violations = await seriousA11yViolations(host);
    assert.equal(violations.length, 0, describeViolations(violations));

    await joinRoom(guest, link);
    await Promise.all([ready(host), ready(guest)]);
    assert.equal(await host.getByText("Invite the other person").count(), 0);
    // Focus went to the field once it could be used, not to the page body.
    assert.equal(await focusedId(guest), "composer-text");

    // The room is the screen: no page scroll, the composer at the bottom of the viewport.
    const layout = await host.evaluate(() => ({
      pageScrolls: document.documentElement.scrollHeight > innerHeight + 1,
      composerBottom: document.querySelector(".composer")!.getBoundingClientRect().bottom,
    }));
    assert.equal(layout.pageScrolls, false);
    assert.ok(layout.composerBottom > 700, `composer ends at ${layout.composerBottom}`);

    for (let i = 0; i < 12; i++) {
      await send(guest, `message ${i} from the guest, long enough to take two lines on a phone`);
    }
    await waitForText(host, "message 11 from the guest", '[role="log"]');
    assert.ok(await newestInView(host), "the host sees the newest message");

    // Reading older messages: a new one does not pull the view, a button says it came.
    await host.locator(".message-log").evaluate((element) => element.scrollTop = 0);
    await host.waitForTimeout(100);
    await send(guest, "one more while the host reads");
    const jump = host.getByRole("button", { name: "1 new message" });
    await jump.waitFor();
    assert.equal(await newestInView(host), false);
    await jump.click();
    assert.ok(await newestInView(host), "the button jumps to the newest");
    assert.equal(await jump.count(), 0);

    // The details panel opens from the bar and closes with Escape.
    const details = host.getByRole("button", { name: "Details" });
    assert.equal(await host.getByRole("button", { name: "End chat" }).isVisible(), false);
    await details.click();
    assert.equal(await details.getAttribute("aria-expanded"), "true");
    assert.ok(await host.getByRole("button", { name: "End chat" }).isVisible());
    violations = await seriousA11yViolations(host);
    assert.equal(violations.length, 0, describeViolations(violations));
    await host.keyboard.press("Escape");
    assert.equal(await host.getByRole("button", { name: "End chat" }).isVisible(), false);

    // On a touch screen Enter is a new line; Send sends.
    await field(host).click();
    await field(host).pressSequentially("two");
    await host.keyboard.press("Enter");
    await field(host).pressSequentially("lines");
    assert.equal(await field(host).inputValue(), "two\nlines");
    // Delete buttons are finger-sized there.
    await host.getByRole("button", { name: "Send" }).click();
    await waitForText(guest, "lines", '[role="log"]');
    const target = await log(host).getByRole("button", { name: "Delete" }).last().boundingBox();
    assert.ok(target && target.height >= 44 && target.width >= 44, JSON.stringify(target));
  },
);

Deno.test(
  "[room] deleting offers Undo, then leaves a line on both screens; focus follows",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url);
    // After Send the field keeps the focus, ready for the next message.
    assert.equal(await focusedId(host), "composer-text");

    const remove = log(host).getByRole("button", { name: "Delete “hello from the host”" });
    await remove.click();
    const undo = log(host).getByRole("button", { name: "Undo" });
    await undo.waitFor();
    assert.ok(await undo.evaluate((element) => element === document.activeElement));
    await undo.click();
    await remove.waitFor();
    assert.ok(await remove.evaluate((element) => element === document.activeElement));
    assert.equal(await log(guest).getByText("hello from the host").count(), 1);

    await remove.click();
    await waitForText(host, "You deleted a message.", '[role="log"]');
    await waitForText(guest, "They deleted a message.", '[role="log"]');
    assert.equal(await log(guest).getByText("hello from the host").count(), 0);
    // The Undo that had the focus is gone: it is back in the message field.
    assert.equal(await focusedId(host), "composer-text");

    // The safety check's button goes away when pressed: focus goes on to the field.
    await guest.getByRole("button", { name: "The codes match" }).click();
    await waitForText(guest, "Verified: the codes match.");
    assert.equal(await focusedId(guest), "composer-text");
  },
);

/** The title is set by an effect after the message renders: wait for it, do not sample it. */
const titleIs = (page: Page, title: string) =>
  page.waitForFunction((expected) => document.title === expected, title, { timeout: 5_000 });

Deno.test(
  "[room] screen readers hear their messages only; links open safely; the title counts unread",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url);
    assert.equal(await log(host).getAttribute("aria-live"), "off");
    const spoken = (page: Page) => page.locator(".chat [aria-live=polite]").first().innerText();
    assert.equal(await spoken(host), "Them: hello from the guest");
    assert.equal(await spoken(guest), "Them: hello from the host");

    const title = await host.title();
    await setHidden(host, true);
    await send(guest, "read https://example.org/a_(b). not javascript:alert(1)");
    await waitForText(host, "not javascript", '[role="log"]');
    await titleIs(host, `(1) New message · ${title}`);
    await send(guest, "and another");
    await waitForText(host, "and another", '[role="log"]');
    await titleIs(host, `(2) New messages · ${title}`);
    await setHidden(host, false);
    await titleIs(host, title);

    const links = log(host).getByRole("link");
    assert.equal(await links.count(), 1);
    assert.equal(await links.getAttribute("href"), "https://example.org/a_(b)");
    assert.equal(await links.getAttribute("rel"), "noopener noreferrer");
    assert.equal(await links.getAttribute("target"), "_blank");
  },
);

Deno.test(
  "[room] a second tab takes the seat; the first cannot write until Use it here takes it back",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest, link } = await seatedPair(browser, server.url);
    const second = await host.context().newPage();
    // Same browser, so Join gives this tab the same seat, and the first tab is replaced.
    await joinRoom(second, link);
    await ready(second);
    await waitForText(host, "open in another tab or window now");
    assert.ok(await field(host).isDisabled(), "the replaced tab cannot write");

    await host.getByRole("button", { name: "Use it here" }).click();
    await ready(host);
    await waitForText(second, "open in another tab or window now");
    await send(host, "back in the first tab");
    await waitForText(guest, "back in the first tab", '[role="log"]');
    assert.equal(await host.locator("[role=alert]").count(), 0);
  },
);

Deno.test(
  "[room] going offline is shown at once, and the other side sees the drop",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url);
    await guest.context().setOffline(true);
    await waitForText(guest, "You are offline", ".state-pill");
    // The server drops a socket that stops answering within two of the client's ping intervals.
    await host.locator(".presence", { hasText: "Away" }).waitFor({ timeout: 40_000 });
    await waitForText(host, "connection to the other person was lost", '[role="log"]');
    await guest.context().setOffline(false);
    await host.locator(".people .presence", { hasText: "Here" }).nth(1).waitFor({
      timeout: 30_000,
    });
    await send(guest, "after the drop");
    await waitForText(host, "after the drop", '[role="log"]');
  },
);

Deno.test(
  "[room] at 200% text on a phone nothing scrolls sideways; forced colours keep the shapes",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const link = await mintLink(server.url);
    const host = await browser.page({ ...PHONE, viewport: { width: 360, height: 740 } });
    const guest = await browser.page({ forcedColors: "active" });
    // Text at 200%, as a phone's accessibility setting makes it (the styles size in rem).
    await host.addInitScript(() =>
      addEventListener("DOMContentLoaded", () => document.documentElement.style.fontSize = "200%")
    );
    await joinRoom(host, link);
    await joinRoom(guest, link);
    await Promise.all([ready(host), ready(guest)]);
    await send(host, "a message at twice the size, with https://example.org/a/long/address/here");
    await waitForText(host, "Delivered", '[role="log"]');
    await send(guest, "an answer");
    await waitForText(host, "an answer", '[role="log"]');
    const wide = await host.evaluate(() => ({
      page: document.documentElement.scrollWidth - innerWidth,
      log: (() => {
        const log = document.querySelector(".message-log")!;
        return log.scrollWidth - log.clientWidth;
      })(),
      // "Delivered" on one line, not broken letter by letter.
      deliveredLines: document.querySelector(".message-delivery")!.getClientRects().length,
      deliveredTall: (() => {
        const box = document.querySelector(".message-delivery")!.getBoundingClientRect();
        return box.height > box.width;
      })(),
    }));
    assert.deepEqual(wide, { page: 0, log: 0, deliveredLines: 1, deliveredTall: false });

    const shapes = await guest.evaluate(() => {
      const bubble = getComputedStyle(document.querySelector(".message")!);
      const dot = getComputedStyle(document.querySelector(".state-pill")!, "::before");
      return { border: bubble.borderTopStyle, width: bubble.borderTopWidth, dot: dot.display };
    });
    assert.equal(shapes.border, "solid");
    assert.notEqual(shapes.width, "0px");
    assert.notEqual(shapes.dot, "none");
    const violations = await seriousA11yViolations(guest);
    assert.equal(violations.length, 0, describeViolations(violations));
  },
);

Deno.test(
  "[room] a reload gets the conversation back from the other device; the code change is said",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url);
    await guest.reload();
    await ready(guest);
    await waitForText(guest, "Restored after a reload", '[role="log"]');
    await waitForText(guest, "hello from the host", '[role="log"]');
    await waitForText(guest, "hello from the guest", '[role="log"]');
    assert.equal(await log(guest).getByText("Restored", { exact: true }).count(), 2);
    // A restored copy is not theirs to delete: no Delete on it.
    assert.equal(await log(guest).getByRole("button", { name: "Delete" }).count(), 0);
    await waitForText(host, "The safety code changed", '[role="log"]');
    await send(guest, "after my reload");
    await waitForText(host, "after my reload", '[role="log"]');
  },
);

Deno.test(
  "[room] a reply quotes the message it answers, from each side's own copy; a long paste is cut",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url);
    const reply = log(host).getByRole("button", { name: "Reply to “hello from the guest”" });
    await reply.click();
    assert.equal(await focusedId(host), "composer-text");
    await waitForText(host, "Replying to them: “hello from the guest”", ".composer");
    await host.keyboard.press("Escape");
    assert.equal(await host.locator(".replying").count(), 0);
    await reply.click();
    await send(host, "yes, that one");
    assert.equal(await host.locator(".replying").count(), 0, "sent: the reply is done");
    await waitForText(guest, "yes, that one", '[role="log"]');
    const quote = log(guest).locator(".message", { hasText: "yes, that one" }).locator(
      ".message-quote",
    );
    assert.equal(await quote.innerText(), "In reply to\nYou: hello from the guest");
    // A paste longer than the chat's limit per message keeps its start, and says so.
    const composer = host.getByRole("textbox", { name: "Message" });
    await composer.fill("x".repeat(20_000));
    await waitForText(host, "Cut to 2000 characters, this chat's limit per message.", ".composer");
    assert.equal((await composer.inputValue()).length, 2000);

    // Sound on is for this page only: storage holds the identity and the seat, nothing else.
    await host.getByLabel("Sound for new messages in the background").check();
    const stored = await host.evaluate(
      () => [Object.keys(localStorage), Object.keys(sessionStorage)],
    );
    assert.deepEqual(stored[0], ["chatorbit.identity"]);
    assert.equal(stored[1].length, 1);
    assert.match(stored[1][0], /^chatorbit\.seat\./);
    const violations = await seriousA11yViolations(guest);
    assert.equal(violations.length, 0, describeViolations(violations));
  },
);
