/**
 * Per-socket frame-rate limit: a token bucket. A chat client sends a few frames a second (messages,
 * typing, ICE candidates); a socket that empties the bucket is flooding and is closed.
 *
 * The bucket is two numbers. The hub keeps them as fields of its per-socket connection and calls
 * {@link takeToken}, so a socket costs no extra object; {@link FloodGuard} wraps the same rule for
 * anything that wants a bucket of its own.
 */
import type { Clock } from "../clock.ts";

export const FLOOD_CAPACITY = 400;
const FLOOD_REFILL_PER_SECOND = 200;

/** A bucket's state: tokens left, and when they were last refilled (ms). */
export interface FloodBucket {
  floodTokens: number;
  floodRefilledAt: number;
}

/** Takes one frame's token at time `now`; false when the socket is over its rate. */
export function takeToken(
  bucket: FloodBucket,
  now: number,
  capacity = FLOOD_CAPACITY,
  refillPerSecond = FLOOD_REFILL_PER_SECOND,
): boolean {
  const elapsed = now - bucket.floodRefilledAt;
  let tokens = bucket.floodTokens;
  if (elapsed > 0) {
    tokens = Math.min(capacity, tokens + (elapsed * refillPerSecond) / 1000);
    bucket.floodRefilledAt = now;
  }
  if (tokens < 1) {
    bucket.floodTokens = tokens;
    return false;
  }
  bucket.floodTokens = tokens - 1;
  return true;
}

export class FloodGuard implements FloodBucket {
  floodTokens: number;
  floodRefilledAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly capacity = FLOOD_CAPACITY,
    private readonly refillPerSecond = FLOOD_REFILL_PER_SECOND,
  ) {
    this.floodTokens = capacity;
    this.floodRefilledAt = clock.now();
  }

  /** Takes one frame's token; false when the socket is over its rate. */
  take(): boolean {
    return takeToken(this, this.clock.now(), this.capacity, this.refillPerSecond);
  }
}
