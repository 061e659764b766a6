/**
 * Issue 8, point 7: at the countdown's end both screens wipe on their own, even when the server is
 * gone. The server is a real separate process, killed (SIGKILL) seconds before the end of a
 * one-minute session whose last seconds its clock was moved to.
 */
import assert from "node:assert/strict";
import { spawnClockServer } from "./clock_server.ts";
import {
  BROWSER_TEST,
  ensureTestBuild,
  seatedPair,
  waitForIslands,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

const options = BROWSER_TEST;

Deno.test(
  "[chat] at 0:00 both screens wipe even when the server cannot be reached",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await spawnClockServer();
    await using browser = await withBrowser();
    const { host, guest } = await seatedPair(browser, server.url, { minutes: 1 });
    // 30 s before the end (room for a loaded machine); a reload reads the server's time, as any
    // page load does.
    await server.advance(30_000);
    await Promise.all([host, guest].map(async (page) => {
      await page.reload();
      await waitForIslands(page, ".room[data-ready]");
    }));
    // Seated again (a reload keeps the seat, not the conversation): the room is showing. No new
    // message here: a fresh key exchange on a loaded machine could eat the margin.
    for (const page of [host, guest]) await page.getByRole("log").waitFor();

    server.kill();
    for (const page of [host, guest]) {
      assert.equal(await page.getByText("Time is up").count(), 0, "not over before the kill");
    }
    for (const page of [host, guest]) {
      await waitForText(page, "Time is up");
      assert.equal(await page.getByRole("log").count(), 0, "the conversation is gone");
      assert.equal(await page.getByRole("textbox", { name: "Message" }).count(), 0);
    }
  },
);
