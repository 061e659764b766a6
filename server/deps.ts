/** What the HTTP and socket layers are built from; assembled once in server/app.ts. */
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/database.ts";
import type { Hub } from "./ws/hub.ts";
import type { RateDecision } from "./domain/rate_limit.ts";
import type { SessionRowCache } from "./domain/session_rows.ts";

export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  hub: Hub;
  /** In memory on SQLite, in the database on PostgreSQL (shared by every instance). */
  joinLimiter: { hit(key: string): RateDecision | Promise<RateDecision> };
  /** Cached session rows for status reads; writes that change status invalidate it. */
  sessionRows: SessionRowCache;
}

export const VERSION = "1.0.0";
