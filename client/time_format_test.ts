import assert from "node:assert/strict";
import { formatCountdown, timeLeftWarning, warningWindowMs } from "./time_format.ts";

Deno.test("[room] the countdown reads minutes and seconds, hours when needed", () => {
  assert.equal(formatCountdown(0), "0:00");
  assert.equal(formatCountdown(59_001), "1:00");
  assert.equal(formatCountdown(5 * 60_000), "5:00");
  assert.equal(formatCountdown(3_723_000), "1:02:03");
});

Deno.test("[room] the time warning covers the last fifth of a chat, five minutes at most", () => {
  assert.equal(warningWindowMs(60 * 60_000), 5 * 60_000);
  assert.equal(warningWindowMs(25 * 60_000), 5 * 60_000);
  assert.equal(warningWindowMs(10 * 60_000), 2 * 60_000);
  assert.equal(warningWindowMs(60_000), 12_000, "a one-minute chat is not warned all along");
});

Deno.test("[room] the time warning says how little is left", () => {
  assert.equal(timeLeftWarning(5 * 60_000), "Less than 5 minutes left");
  assert.equal(timeLeftWarning(4 * 60_000 + 1), "Less than 5 minutes left");
  assert.equal(timeLeftWarning(61_000), "Less than 2 minutes left");
  assert.equal(timeLeftWarning(60_000), "Less than a minute left");
  assert.equal(timeLeftWarning(3_000), "Less than a minute left");
});
