/** Composes the application: security headers, body cap, origin rules, the API, socket, pages. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { DATABASE_BUSY, isDatabaseBusy } from "./db/busy.ts";
import { DATABASE_UNREACHABLE, isDatabaseUnreachable } from "./db/unreachable.ts";
import type { Db } from "./db/database.ts";
import type { Deps } from "./deps.ts";
import { isPostgres } from "./db/locks.ts";
import { MemoryRateLimiter } from "./domain/rate_limit.ts";
import { RateKeyRing } from "./domain/rate_keys.ts";
import { DatabaseRateLimiter } from "./domain/shared_rate_limit.ts";
import { SessionsService } from "./domain/sessions_service.ts";
import { AppError } from "./errors.ts";
import { bodyLimit } from "./http/body_limit.ts";
import { cors } from "./http/cors.ts";
import { healthApi } from "./http/health.ts";
import { loggablePath } from "./http/log_path.ts";
import { originGuard, originPolicy } from "./http/origin.ts";
import { appPages } from "./http/pages.ts";
import { responseDefaults } from "./http/response_defaults.ts";
import { sessionsApi } from "./http/sessions.ts";
import { tokensApi } from "./http/tokens.ts";
import { type Fanout, InProcessFanout } from "./ws/fanout.ts";
import { Hub } from "./ws/hub.ts";
import { socketRoutes } from "./ws/route.ts";

export interface App {
  app: Hono;
  deps: Deps;
}

export function createApp(
  config: Config,
  db: Db,
  clock: Clock,
  /** How seats are reached: in process by default, through PostgreSQL across instances. */
  fanout: Fanout = new InProcessFanout(),
): App {
  const rateKeys = new RateKeyRing(db, clock);
  const sessions = new SessionsService(db, clock, (tokenHash) => fanout.present(tokenHash), {
    limitPerHour: config.tokenRateLimitPerHour,
    globalPerMinute: config.tokenRateLimitGlobalPerMinute,
    keys: rateKeys,
  });
  // One path for every change: what happens here is told to the other instances, and what they
  // tell is replayed into the service, whose subscribers (the hub) cannot tell the difference.
  if (fanout.announce) {
    sessions.onChange((tokenHash, change, origin) => {
      if (origin === "local") fanout.announce!(tokenHash, change);
    });
  }
  fanout.listen?.((tokenHash, event) => {
    if (event.type !== "seats") {
      sessions.applyRemote(tokenHash, event).catch((error) =>
        console.error("Handling a remote session change failed:", error)
      );
    }
  });
  const hub = new Hub(sessions, clock, fanout, config.turn);
  const deps: Deps = {
    config,
    db,
    clock,
    hub,
    joinLimiter: isPostgres(db)
      ? new DatabaseRateLimiter(db, clock, rateKeys, "join", config.joinRateLimitPerMinute, 60_000)
      : new MemoryRateLimiter(clock, config.joinRateLimitPerMinute, 60_000),
    sessions,
    rateKeys,
    origins: originPolicy(config),
  };
  const app = new Hono();
  app.use(responseDefaults());
  app.use(bodyLimit());
  app.use(originGuard(deps.origins));
  app.use(
    "/api/*",
    cors({ origins: config.corsAllowedOrigins, allowCredentials: config.corsAllowCredentials }),
  );
  app.route("/api/tokens", tokensApi(deps));
  app.route("/api/sessions", sessionsApi(deps));
  app.route("/api/health", healthApi(deps));
  app.route("/ws", socketRoutes(deps));
  app.all(
    "/api/*",
    (c) => c.json({ detail: `No API endpoint ${c.req.method} ${c.req.path}.` }, 404),
  );
  app.route("/", appPages(deps));

  app.onError((error, c) => {
    if (error instanceof AppError) {
      const body = error.issues
        ? { detail: error.detail, issues: error.issues }
        : { detail: error.detail };
      return c.json(body, error.status, error.headers);
    }
    if (error instanceof HTTPException) {
      return c.json({ detail: error.message || "Bad request." }, error.status);
    }
    if (isDatabaseBusy(error)) {
      return c.json({ detail: DATABASE_BUSY }, 503, { "Retry-After": "1" });
    }
    if (isDatabaseUnreachable(error)) {
      console.error(`Database unreachable on ${c.req.method} ${loggablePath(c.req.path)}`);
      return c.json({ detail: DATABASE_UNREACHABLE }, 503, { "Retry-After": "5" });
    }
    // The raw path carries tokens: only the route's shape goes into the log.
    console.error(`Unhandled error on ${c.req.method} ${loggablePath(c.req.path)}:`, error);
    return c.json({ detail: "Internal server error." }, 500);
  });
  return { app, deps };
}
