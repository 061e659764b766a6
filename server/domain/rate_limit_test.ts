import assert from "node:assert/strict";
import { ManualClock } from "../clock.ts";
import { decide, MemoryRateLimiter } from "./rate_limit.ts";

Deno.test("[rate] decide allows below the limit and says when the oldest event leaves", () => {
  assert.deepEqual(decide(9, 0, 10, 60_000, 30_000), { allowed: true, retryAfterSeconds: 0 });
  assert.deepEqual(decide(10, 0, 10, 60_000, 30_000), { allowed: false, retryAfterSeconds: 30 });
  // Never "retry in 0 seconds".
  assert.deepEqual(decide(10, 0, 10, 60_000, 59_999), { allowed: false, retryAfterSeconds: 1 });
});

Deno.test("[rate] the memory limiter is a sliding window per key", () => {
  const clock = new ManualClock(0);
  const limiter = new MemoryRateLimiter(clock, 3, 60_000);
  assert.ok(limiter.hit("a").allowed);
  clock.advance(20_000);
  assert.ok(limiter.hit("a").allowed);
  assert.ok(limiter.hit("a").allowed);
  const refused = limiter.hit("a");
  assert.equal(refused.allowed, false);
  assert.equal(refused.retryAfterSeconds, 40);
  assert.ok(limiter.hit("b").allowed, "another key has its own allowance");
  clock.advance(40_000);
  assert.ok(limiter.hit("a").allowed, "the first hit left the window");
  assert.equal(limiter.hit("a").allowed, false);
});

Deno.test("[rate] refused attempts are not counted against the client", () => {
  const clock = new ManualClock(0);
  const limiter = new MemoryRateLimiter(clock, 1, 1_000);
  assert.ok(limiter.hit("k").allowed);
  for (let i = 0; i < 10; i++) {
    clock.advance(50);
    assert.equal(limiter.hit("k").allowed, false);
  }
  clock.advance(501);
  assert.ok(limiter.hit("k").allowed);
});
