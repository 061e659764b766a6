/**
 * The join brake counted in the database, for deployments of several instances: behind a load
 * balancer, a per-process count would give each address one allowance per instance. SQLite
 * (one process) keeps the in-memory {@link MemoryRateLimiter}, which costs no write per join.
 */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/database.ts";
import { lockRateKey } from "../db/locks.ts";
import { countEventsSince, insertEvent } from "../db/rate_events_repo.ts";
import { hashSecret } from "../secrets.ts";
import { decide, type RateDecision } from "./rate_limit.ts";

export class DatabaseRateLimiter {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** The rate_events bucket; the retention sweep deletes its rows after an hour. */
    private readonly bucket: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt for `key` (stored only hashed) and says whether it is within the limit. */
  hit(key: string): Promise<RateDecision> {
    const keyHash = hashSecret("client", key);
    return this.db.transaction().execute(async (trx) => {
      await lockRateKey(trx, this.bucket, keyHash);
      const now = this.clock.now();
      const recent = await countEventsSince(trx, this.bucket, keyHash, now - this.windowMs);
      const decision = decide(recent.count, recent.oldest, this.limit, this.windowMs, now);
      // As in memory: refused attempts are not recorded.
      if (decision.allowed) await insertEvent(trx, this.bucket, keyHash, now);
      return decision;
    });
  }
}
