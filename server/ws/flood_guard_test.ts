import assert from "node:assert/strict";
import { ManualClock } from "../clock.ts";
import { FloodGuard } from "./flood_guard.ts";

Deno.test("[flood] a burst up to capacity passes, the next frame does not", () => {
  const clock = new ManualClock(0);
  const guard = new FloodGuard(clock, 5, 1);
  for (let i = 0; i < 5; i++) assert.ok(guard.take());
  assert.equal(guard.take(), false);
});

Deno.test("[flood] the bucket refills with time, up to its capacity", () => {
  const clock = new ManualClock(0);
  const guard = new FloodGuard(clock, 5, 2);
  for (let i = 0; i < 5; i++) guard.take();
  clock.advance(1_000);
  assert.ok(guard.take());
  assert.ok(guard.take());
  assert.equal(guard.take(), false);
  clock.advance(60_000);
  for (let i = 0; i < 5; i++) assert.ok(guard.take());
  assert.equal(guard.take(), false);
});
