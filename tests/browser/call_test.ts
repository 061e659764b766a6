/**
 * Voice and video calls between two real Chromium contexts with fake cameras and microphones:
 * media over the chat's direct link, control sealed in the chat's envelopes, and every way a call
 * ends on both screens.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ManualClock } from "../../server/clock.ts";
import { withServer } from "../helpers.ts";
import {
  BROWSER_TEST,
  describeViolations,
  ensureTestBuild,
  log,
  remoteVideoPlays,
  seatedPair,
  send,
  seriousA11yViolations,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

const FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];

const button = (page: Page, name: string) => page.getByRole("button", { name, exact: true });

async function startCall(caller: Page, callee: Page, kind: "Video call" | "Voice call") {
  await waitForText(caller, "Direct", ".path");
  await button(caller, kind).click();
  await waitForText(callee, `Incoming ${kind.toLowerCase()}`);
  await button(callee, "Accept").click();
}

Deno.test(
  "[call] a video call both ways: frames, mute and camera off seen, hang up ends both",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    await using server = await withServer();
    await using browser = await withBrowser({ args: FAKE_MEDIA });
    const { host, guest } = await seatedPair(browser, server.url);
    await startCall(host, guest, "Video call");
    await Promise.all([remoteVideoPlays(host), remoteVideoPlays(guest)]);
    const violations = await seriousA11yViolations(guest);
    assert.equal(violations.length, 0, describeViolations(violations));

    // The chat goes on over the same link during the call.
    await send(guest, "talking while we call");
    await waitForText(host, "talking while we call", '[role="log"]');

    await button(guest, "Mute").click();
    await waitForText(host, "They are muted.", ".call");
    await button(guest, "Camera off").click();
    await waitForText(host, "Their camera is off.", ".call");
    await button(guest, "Unmute").click();
    await button(guest, "Camera on").click();
    await host.locator(".call-peer", { hasText: "muted" }).waitFor({ state: "detached" });

    await button(host, "Hang up").click();
    await waitForText(guest, "They hung up.");
    assert.equal(await host.locator(".call").count(), 0);
    assert.equal(await guest.locator(".call").count(), 0);
    // Both devices released their camera and microphone.
    for (const page of [host, guest]) {
      assert.equal(await page.locator("video").count(), 0);
    }
    await send(host, "after the call");
    await waitForText(guest, "after the call", '[role="log"]');
  },
);

Deno.test(
  "[call] a voice call, a declined call, and a call that the chat's end cuts on both sides",
  BROWSER_TEST,
  async () => {
    await ensureTestBuild();
    const clock = new ManualClock(Date.now());
    await using server = await withServer({ clock });
    await using browser = await withBrowser({ args: FAKE_MEDIA });
    const { host, guest } = await seatedPair(browser, server.url, { minutes: 1 });

    await button(guest, "Voice call").click();
    await waitForText(host, "Incoming voice call");
    await button(host, "Decline").click();
    await waitForText(guest, "They declined the call.");

    await startCall(guest, host, "Voice call");
    await waitForText(host, "Voice call", ".call h2");
    await guest.waitForFunction(() => {
      const audio = document.querySelector<HTMLVideoElement>("video.call-audio");
      const stream = audio?.srcObject as MediaStream | null;
      return !!stream && stream.getAudioTracks().length > 0;
    });
    assert.equal(await host.locator("video.call-remote").count(), 0, "voice only: no video");

    // The session's time runs out mid-call: both screens wipe, the call with them.
    clock.advance(61_000);
    for (const page of [host, guest]) {
      await page.locator("#ended-title").waitFor();
      assert.equal(await page.locator(".call").count(), 0);
      assert.equal(await log(page).count(), 0);
    }
  },
);
