/**
 * Issue 8, points 6 and 14 as people see them: message text cannot disguise, hide or paint over
 * other messages, and a bare-token link keeps the safety comparison first until it is made.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { withServer } from "../helpers.ts";
import {
  BROWSER_TEST,
  ensureTestBuild,
  log,
  seatedPair,
  send,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

const options = BROWSER_TEST;

/** Left edges of each character of the bubble reading `text`, in logical order. */
function characterLefts(page: Page, text: string): Promise<number[]> {
  return page.evaluate((wanted) => {
    const bubble = [...document.querySelectorAll(".message-text")].find((el) =>
      el.textContent === wanted
    )!;
    const node = bubble.firstChild!;
    return [...wanted].map((_, i) => {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      return range.getBoundingClientRect().left;
    });
  }, text);
}

const ZALGO = "Z" + "\u030d\u030e\u0304\u0305\u033f\u0311\u0306\u0310\u0352\u0357".repeat(12);

Deno.test(
  "[chat] message text cannot disguise, hide or paint over other messages",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url);

    // Nothing visible: refused, in words, and the draft stays for the person to fix.
    await send(host, "\u200b\u2800\u3164\u202e");
    await waitForText(host, "This message has no visible character, so it was not sent.");
    assert.equal(await log(host).locator(".message-mine").count(), 1, "only the first message");

    // A right-to-left override cannot turn "0001" into "1000": it reads left to right.
    await send(host, "\u202e0001");
    await waitForText(guest, "0001", '[role="log"]');
    const lefts = await characterLefts(guest, "0001");
    assert.deepEqual([...lefts].sort((a, b) => a - b), lefts, `shown in order: ${lefts}`);
    // Each text is isolated, so its direction cannot spill onto the time or the next message.
    const isolation = await log(guest).locator(".message-text").first().evaluate((el) =>
      `${el.tagName} ${getComputedStyle(el).unicodeBidi}`
    );
    assert.equal(isolation, "BDI isolate");

    // A tall run of combining marks stays inside its own bubble: the one above looks the same.
    const above = log(guest).locator(".message").filter({ hasText: "0001" });
    const before = await above.screenshot();
    await send(host, ZALGO);
    await log(guest).locator(".message").nth(3).waitFor();
    assert.ok((await above.screenshot()).equals(before), "the message above was painted over");
    // The check can see it: without the clipping the same run does paint over it.
    await log(guest).locator(".message").evaluateAll((bubbles) => {
      for (const bubble of bubbles as HTMLElement[]) {
        bubble.style.setProperty("overflow", "visible", "important");
        bubble.style.setProperty("contain", "none", "important");
      }
    });
    assert.ok(
      !(await above.screenshot()).equals(before),
      "unclipped, the marks reach the bubble above",
    );
  },
);

Deno.test(
  "[chat] a bare-token link keeps the safety comparison first until this side makes it",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url, { bare: true });
    const first = (page: Page) =>
      page.evaluate(() => {
        const safety = document.getElementById("safety-title")!;
        const chat = document.querySelector('[aria-label="Conversation"]')!;
        return Boolean(safety.compareDocumentPosition(chat) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
    for (const page of [host, guest]) {
      await waitForText(page, "comparing this code is your only protection");
      assert.ok(await first(page), "the comparison comes before the conversation");
    }
    // The guest's word does not count for the host: its warning stays until the host compares.
    await guest.getByRole("button", { name: "The codes match" }).click();
    await waitForText(host, "They say the codes match.");
    assert.ok(await first(host));
    await waitForText(host, "comparing this code is your only protection");
    await host.getByRole("button", { name: "The codes match" }).click();
    await waitForText(host, "Verified: the codes match.");
    assert.equal(await host.getByText("comparing this code is your only protection").count(), 0);
    assert.ok(!(await first(host)), "once compared, the card goes back beside the conversation");
  },
);
