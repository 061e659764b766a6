/**
 * The encrypted chat between two real Chromium contexts against a real server: direct over the
 * data channel, relayed when one side has no WebRTC (with every socket frame recorded to prove no
 * plaintext or link secret crossed the server), expiry wiping both screens, and a reload rejoining.
 */
import assert from "node:assert/strict";
import { ManualClock } from "../../server/clock.ts";
import { withServer } from "../helpers.ts";
import {
  BROWSER_TEST,
  converse,
  describeViolations,
  ensureTestBuild,
  joinRoom,
  log,
  mintLink,
  noWebRtc,
  record,
  safetyCode,
  seatedPair,
  send,
  seriousA11yViolations,
  signalTypes,
  waitForIslands,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

const options = BROWSER_TEST;

Deno.test(
  "[chat] two browsers talk directly, delete on both screens, same safety code",
  options,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser();
    const { host, guest, frames } = await seatedPair(browser, server.url);

    await waitForText(host, "Direct", ".path");
    await waitForText(guest, "Direct", ".path");
    // Offers, answers and candidates went through the server, but as one constant signal type.
    assert.deepEqual(signalTypes(frames()), ["sealed"]);
    assert.equal(await safetyCode(host), await safetyCode(guest));
    const violations = await seriousA11yViolations(host);
    assert.equal(violations.length, 0, describeViolations(violations));

    // The guest's confirmation reaches the host as the guest's claim, never as the host's own.
    await guest.getByRole("button", { name: "The codes match" }).click();
    await waitForText(guest, "Verified: the codes match.");
    await waitForText(host, "They say the codes match.");
    assert.equal(await host.getByText("Verified: the codes match.").count(), 0);
    assert.equal(await host.getByRole("button", { name: "The codes match" }).count(), 1);
    await host.getByRole("button", { name: "The codes match" }).click();
    await waitForText(host, "Verified: the codes match.");

    await log(host).getByRole("button", { name: "Delete" }).first().click();
    await log(guest).getByText("hello from the host").waitFor({ state: "detached" });
    assert.equal(await log(host).getByText("hello from the host").count(), 0);
    assert.equal(await log(guest).getByText("hello from the guest").count(), 1);
    // Only the author may delete: the guest has no Delete on the host's messages.
    assert.equal(await log(guest).getByRole("button", { name: "Delete" }).count(), 1);
  },
);

Deno.test("[chat] without WebRTC everything goes through the relay, sealed", options, async () => {
  await ensureTestBuild();
  await using server = await withServer();
  await using browser = await withBrowser();
  const link = await mintLink(server.url);
  const secret = new URL(link).hash.slice(1);
  const hostContext = await browser.context();
  await noWebRtc(hostContext);
  const host = await hostContext.newPage();
  const guest = await browser.page();
  const frames = [...[host, guest].map((page) => record(page).frames)];
  await joinRoom(host, link);
  await joinRoom(guest, link);
  await converse(host, guest);
  await waitForText(host, "Relayed", ".path");
  await waitForText(guest, "Relayed", ".path");
  assert.equal(await safetyCode(host), await safetyCode(guest));

  await log(guest).getByRole("button", { name: "Delete" }).click();
  await log(host).getByText("hello from the guest").waitFor({ state: "detached" });

  const all = frames.flat();
  assert.ok(all.some((frame) => frame.includes('"type":"relay"')), "relay frames were used");
  // What kind each signal is stays inside its seal: the server sees one constant type.
  assert.deepEqual(signalTypes(all), ["sealed"]);
  // Messages, acknowledgements, typing notices and the deletion share one padded size.
  const relayed = new Set(
    all.filter((frame) => frame.startsWith('{"type":"relay"')).map((frame) =>
      JSON.parse(frame).payload.length
    ),
  );
  assert.equal(relayed.size, 1, `relay payload sizes: ${[...relayed]}`);
  for (const frame of all) {
    assert.ok(
      !frame.includes("hello from"),
      `plaintext crossed the server: ${frame.slice(0, 120)}`,
    );
    assert.ok(!frame.includes(secret), "the link secret crossed the server");
  }
});

Deno.test("[chat] when the time is up both screens wipe", options, async () => {
  await ensureTestBuild();
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  await using browser = await withBrowser();
  const { host, guest } = await seatedPair(browser, server.url, { minutes: 1 });
  clock.advance(61_000);
  for (const page of [host, guest]) {
    await waitForText(page, "Time is up");
    assert.equal(await page.getByText("hello from").count(), 0, "the conversation is gone");
  }
});

Deno.test("[chat] a reload rejoins the seat and the conversation goes on", options, async () => {
  await ensureTestBuild();
  await using server = await withServer();
  await using browser = await withBrowser();
  const { host, guest } = await seatedPair(browser, server.url);
  await guest.reload();
  await waitForIslands(guest, ".room[data-ready]");
  // Nothing was stored: the reloaded tab gets its conversation back from the other device only,
  // marked as that device's copy, in the same seat.
  await send(host, "still there?");
  await waitForText(guest, "still there?", '[role="log"]');
  await send(guest, "yes, back again");
  await waitForText(host, "yes, back again", '[role="log"]');
  const restored = log(guest).locator(".message", { hasText: "hello from the host" });
  assert.equal(await restored.getByText("Restored", { exact: true }).count(), 1);
});
