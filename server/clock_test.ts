import assert from "node:assert/strict";
import { ManualClock } from "./clock.ts";

Deno.test("[clock] a manual clock stands still until advanced", () => {
  const clock = new ManualClock(1_000);
  assert.equal(clock.now(), 1_000);
  clock.advance(250);
  assert.equal(clock.now(), 1_250);
});

Deno.test("[clock] advance fires due timers in time order, each at its own time", () => {
  const clock = new ManualClock(0);
  const fired: [string, number][] = [];
  clock.setTimeout(() => fired.push(["b", clock.now()]), 200);
  clock.setTimeout(() => fired.push(["a", clock.now()]), 100);
  const cancelled = clock.setTimeout(() => fired.push(["x", clock.now()]), 150);
  clock.setTimeout(() => fired.push(["late", clock.now()]), 1_000);
  clock.clearTimeout(cancelled);
  clock.advance(500);
  assert.deepEqual(fired, [["a", 100], ["b", 200]]);
  assert.equal(clock.now(), 500);
  clock.advance(500);
  assert.deepEqual(fired.at(-1), ["late", 1_000]);
});

Deno.test("[clock] a timer set by a timer fires within the same advance when due", () => {
  const clock = new ManualClock(0);
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.now());
    clock.setTimeout(() => fired.push(clock.now()), 100);
  }, 100);
  clock.advance(250);
  assert.deepEqual(fired, [100, 200]);
});
