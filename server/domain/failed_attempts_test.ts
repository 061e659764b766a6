import assert from "node:assert/strict";
import { ManualClock } from "../clock.ts";
import { AppError } from "../errors.ts";
import { attemptsExhausted, countFailedAttempt, failedAttempts } from "./failed_attempts.ts";
import { MemoryRateLimiter } from "./rate_limit.ts";

Deno.test("[probe] failures count, successes do not, and an exhausted key is refused", async () => {
  const clock = new ManualClock();
  const limiter = new MemoryRateLimiter(clock, 2, 60_000);
  const ok = () => Promise.resolve("ok");
  const unknown = () => Promise.reject(new AppError(404, "Token not found."));
  for (let i = 0; i < 5; i++) assert.equal(await failedAttempts(limiter, "a", ok), "ok");
  assert.equal(await attemptsExhausted(limiter, "a"), null);
  await assert.rejects(failedAttempts(limiter, "a", unknown), /Token not found/);
  // Another kind of failure (say 410) is not a probe and does not count.
  await assert.rejects(failedAttempts(limiter, "a", () => Promise.reject(new AppError(410, "x"))));
  await countFailedAttempt(limiter, "a"); // as the socket does for a refused auth frame
  const exhausted = await attemptsExhausted(limiter, "a");
  assert.ok(exhausted && exhausted.retryAfterSeconds > 0);
  await assert.rejects(failedAttempts(limiter, "a", ok), (error: AppError) => {
    assert.equal(error.status, 429);
    assert.match(error.headers["Retry-After"], /^\d+$/);
    return true;
  });
  assert.equal(await attemptsExhausted(limiter, "b"), null, "other keys are untouched");
  clock.advance(60_000);
  assert.equal(await failedAttempts(limiter, "a", ok), "ok");
});
