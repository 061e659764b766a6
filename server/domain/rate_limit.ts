/**
 * Sliding-window rate limits.
 *
 * Two kinds share one decision rule: a client may act `limit` times in any window of `windowMs`.
 * Minting is counted in the database (it must survive a restart and be shared by instances: a
 * token is a durable thing). Joins and failed attempts are a per-minute brake on token guessing,
 * where a restart forgetting it is harmless: in memory on SQLite (one process), in the database
 * on PostgreSQL (shared_rate_limit.ts), so several instances give an address one allowance.
 * Keys are `addressKey()`s.
 */
import type { Clock } from "../clock.ts";

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more action is allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** Applies the window rule to a count of recent events and the time of the oldest of them. */
export function decide(
  count: number,
  oldest: number | null,
  limit: number,
  windowMs: number,
  now: number,
): RateDecision {
  if (count < limit) return { allowed: true, retryAfterSeconds: 0 };
  const freesAt = (oldest ?? now) + windowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
}

/** A per-key sliding window, in memory or in the database. */
export interface RateLimiter {
  /** Whether `key` has an attempt left, counting nothing. */
  check(key: string): RateDecision | Promise<RateDecision>;
  /** Counts one attempt for `key` and says whether it was within the limit. */
  hit(key: string): RateDecision | Promise<RateDecision>;
}

/** In-memory sliding window: keeps each key's event times, forgets keys that fall idle. */
export class MemoryRateLimiter implements RateLimiter {
  readonly #hits = new Map<string, number[]>();
  #lastPrune = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Whether `key` has an attempt left, without counting one. Cheap when it has: one map lookup
   * (this runs on every status read).
   */
  check(key: string): RateDecision {
    const times = this.#hits.get(key);
    if (times === undefined || times.length < this.limit) {
      return { allowed: true, retryAfterSeconds: 0 };
    }
    const now = this.clock.now();
    const since = now - this.windowMs;
    const recent = times.filter((t) => t > since);
    this.#hits.set(key, recent);
    return decide(recent.length, recent[0] ?? null, this.limit, this.windowMs, now);
  }

  /** Counts one attempt for `key` and says whether it is within the limit. */
  hit(key: string): RateDecision {
    const now = this.clock.now();
    this.#prune(now);
    const since = now - this.windowMs;
    const times = (this.#hits.get(key) ?? []).filter((t) => t > since);
    const decision = decide(times.length, times[0] ?? null, this.limit, this.windowMs, now);
    // Refused attempts are not recorded, so a client that keeps hammering is not locked out forever.
    if (decision.allowed) times.push(now);
    this.#hits.set(key, times);
    return decision;
  }

  #prune(now: number): void {
    if (now - this.#lastPrune < this.windowMs) return;
    this.#lastPrune = now;
    const since = now - this.windowMs;
    for (const [key, times] of this.#hits) {
      if (times.length === 0 || times[times.length - 1] <= since) this.#hits.delete(key);
    }
  }
}
