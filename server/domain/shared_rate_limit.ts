/**
 * The join brake counted in the database, for deployments of several instances: behind a load
 * balancer, a per-process count would give each address one allowance per instance. SQLite
 * (one process) keeps the in-memory {@link MemoryRateLimiter}, which costs no write per join.
 * Addresses are stored as keyed hashes under the rotating keys of {@link RateKeyRing}.
 */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/database.ts";
import { lockRateKey } from "../db/locks.ts";
import { countEventsSince, insertEvent } from "../db/rate_events_repo.ts";
import { decide, type RateDecision, type RateLimiter } from "./rate_limit.ts";
import type { RateKeyRing } from "./rate_keys.ts";

export class DatabaseRateLimiter implements RateLimiter {
  /**
   * Keys this instance saw use up their allowance, and until when. `check` runs on every status
   * read, so it answers from here instead of querying; an address blocked through another
   * instance is caught by its next counted attempt here.
   */
  readonly #blockedUntil = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keys: RateKeyRing,
    /** The rate_events bucket; the retention sweep deletes its rows after an hour. */
    private readonly bucket: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  check(key: string): RateDecision {
    const until = this.#blockedUntil.get(key);
    if (until === undefined) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.clock.now();
    if (until <= now) {
      this.#blockedUntil.delete(key);
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  async hit(key: string): Promise<RateDecision> {
    const hashes = await this.keys.hashes("client", key);
    return this.db.transaction().execute(async (trx) => {
      await lockRateKey(trx, this.bucket, hashes[0]);
      const now = this.clock.now();
      const recent = await countEventsSince(trx, this.bucket, hashes, now - this.windowMs);
      const decision = decide(recent.count, recent.oldest, this.limit, this.windowMs, now);
      // As in memory: refused attempts are not recorded.
      if (decision.allowed) await insertEvent(trx, this.bucket, hashes[0], now);
      const after = decision.allowed
        ? decide(recent.count + 1, recent.oldest ?? now, this.limit, this.windowMs, now)
        : decision;
      if (!after.allowed) this.#blockedUntil.set(key, now + after.retryAfterSeconds * 1000);
      return decision;
    });
  }
}
