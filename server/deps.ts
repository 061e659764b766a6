/** What the HTTP and socket layers are built from; assembled once in server/app.ts. */
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/database.ts";
import type { Hub } from "./ws/hub.ts";
import type { RateLimiter } from "./domain/rate_limit.ts";
import type { SessionsService } from "./domain/sessions_service.ts";
import type { RateKeyRing } from "./domain/rate_keys.ts";
import type { OriginPolicy } from "./http/origin.ts";

export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  hub: Hub;
  /**
   * Joins and failed probes (status, DELETE, socket auth), per addressKey(); failed_attempts.ts.
   * In memory on SQLite, in the database on PostgreSQL (shared by every instance).
   */
  joinLimiter: RateLimiter;
  /** Every read and write of sessions (the row cache and the change events live there). */
  sessions: SessionsService;
  /** The rotating keys under which mint counts store client addresses. */
  rateKeys: RateKeyRing;
  /** Which origins may act here (CORS, state-changing requests, the socket upgrade). */
  origins: OriginPolicy;
}

export const VERSION = "1.0.0";
