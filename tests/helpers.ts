/** Shared test helpers: a configured app on an in-memory database, and a real server on port 0. */
import { createApp } from "../server/app.ts";
import type { Clock } from "../server/clock.ts";
import { ManualClock } from "../server/clock.ts";
import { type Config, loadConfig } from "../server/config.ts";
import { openDatabase, type OpenedDatabase } from "../server/db/database.ts";
import type { FrontLimits } from "../server/front/limits.ts";
import { type RunningServer, serve } from "../server/serve.ts";
import { openTestDatabase } from "./test_store.ts";

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    CHAT_DATABASE_URL: "sqlite::memory:",
    CHAT_HOST: "127.0.0.1",
    PORT: "0",
    ...env,
  });
}

export interface TestApp {
  app: ReturnType<typeof createApp>["app"];
  deps: ReturnType<typeof createApp>["deps"];
  clock: ManualClock;
  database: OpenedDatabase;
  [Symbol.asyncDispose](): Promise<void>;
}

/** An app over a fresh database (see test_store.ts) and a manual clock; `await using` closes it. */
export async function withApp(env: Record<string, string> = {}): Promise<TestApp> {
  const clock = new ManualClock();
  const database = await openTestDatabase();
  const { app, deps } = createApp(testConfig(env), database.db, clock);
  return {
    app,
    deps,
    clock,
    database,
    [Symbol.asyncDispose]: async () => {
      deps.hub.shutdown();
      await database.close();
    },
  };
}

export interface TestServer extends RunningServer {
  [Symbol.asyncDispose](): Promise<void>;
}

/** A real server on 127.0.0.1 and a free port; `await using` shuts it down. */
export async function withServer(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    databasePath?: string;
    frontLimits?: Partial<FrontLimits>;
    /** The front pipes every request to Deno.serve (to compare with its own answers). */
    pipeAll?: boolean;
    /**
     * Set over the parsed configuration: what no environment may say, such as a TURN server on
     * loopback (config refuses unroutable ICE hosts) for the coturn test.
     */
    config?: Partial<Config>;
  } = {},
): Promise<TestServer> {
  const config = { ...testConfig(options.env), ...options.config };
  const database = options.databasePath
    ? await openDatabase(options.databasePath)
    : await openTestDatabase();
  const server = await serve(config, database, options.clock ?? new ManualClock(Date.now()), {
    quiet: true,
    handleSignals: false,
    frontLimits: options.frontLimits,
    pipeAll: options.pipeAll,
  });
  return { ...server, [Symbol.asyncDispose]: () => server.shutdown() };
}

export function postJson(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}

export const MINT_BODY = { validity_period: "1_day", session_ttl_minutes: 30 } as const;
