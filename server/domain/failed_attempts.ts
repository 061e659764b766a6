/**
 * One per-address allowance for everything that can probe whether a token exists: joins, and the
 * failed attempts on status, DELETE and socket authentication (unknown token, wrong credential).
 * They share the join limiter (`CHAT_JOIN_RATE_LIMIT_PER_MINUTE`), so an address cannot test more
 * tokens by switching endpoints. Successful requests never count.
 *
 * HTTP routes wrap their work in {@link failedAttempts}; the socket calls
 * {@link attemptsExhausted} before authenticating and {@link countFailedAttempt} when it fails.
 */
import { AppError } from "../errors.ts";
import type { RateDecision, RateLimiter } from "./rate_limit.ts";

/** The refusal for an address that used up its allowance. */
export function tooManyAttempts(decision: RateDecision): AppError {
  return new AppError(
    429,
    `Too many attempts from this address. Try again in ${decision.retryAfterSeconds} seconds.`,
    { "Retry-After": String(decision.retryAfterSeconds) },
  );
}

/** The decision for `key` (an `addressKey()`), counting nothing. */
export async function attemptsExhausted(
  limiter: RateLimiter,
  key: string,
): Promise<RateDecision | null> {
  const decision = await limiter.check(key);
  return decision.allowed ? null : decision;
}

/** Counts one failure for `key`; the decision says whether it was still within the allowance. */
export function countFailedAttempt(
  limiter: RateLimiter,
  key: string,
): RateDecision | Promise<RateDecision> {
  return limiter.hit(key);
}

/** Answers of a failed probe: unknown token (404), wrong or missing credential (401). */
const FAILED_STATUSES = new Set([401, 404]);

/**
 * Runs `attempt` for the address `key`: refused with 429 at once when the allowance is used up;
 * counted against it when the attempt fails with 401 or 404.
 */
export async function failedAttempts<T>(
  limiter: RateLimiter,
  key: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const exhausted = await attemptsExhausted(limiter, key);
  if (exhausted) throw tooManyAttempts(exhausted);
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof AppError && FAILED_STATUSES.has(error.status)) {
      await countFailedAttempt(limiter, key);
    }
    throw error;
  }
}
