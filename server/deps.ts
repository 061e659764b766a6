/** What the HTTP and socket layers are built from; assembled once in server/app.ts. */
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/database.ts";
import type { Hub } from "./ws/hub.ts";
import type { MemoryRateLimiter } from "./domain/rate_limit.ts";

export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  hub: Hub;
  joinLimiter: MemoryRateLimiter;
}

export const VERSION = "1.0.0";
