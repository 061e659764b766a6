/** Runs the app on a real socket, with the retention sweep and a clean shutdown on signals. */
import { createApp } from "./app.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { OpenedDatabase } from "./db/database.ts";
import { startRetentionSweep } from "./retention.ts";
import { Hub } from "./ws/hub.ts";
import { PostgresFanout } from "./ws/pg_fanout.ts";

/** Deno Deploy sends SIGINT and kills 5 s later: everything must be closed well before. */
const DRAIN_LIMIT_MS = 3_500;

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting, closes sockets with 1001, stops timers and closes the database. */
  shutdown(): Promise<void>;
  /** As shutdown, but sockets close with 1012 so their clients reconnect elsewhere at once. */
  drain(): Promise<void>;
  finished: Promise<void>;
}

export async function serve(
  config: Config,
  database: OpenedDatabase,
  clock: Clock,
  options: { quiet?: boolean; handleSignals?: boolean } = {},
): Promise<RunningServer> {
  for (const warning of config.warnings) console.warn(`Warning: ${warning}`);
  // Several instances on one PostgreSQL database reach each other's seats through it.
  const fanout = database.postgres ? await PostgresFanout.start(database.postgres) : undefined;
  const { app, deps } = createApp(config, database.db, clock, new Hub(database.db, clock, fanout));
  await deps.hub.recordMissedExpiries();
  const stopSweep = startRetentionSweep(database.db, clock, () => deps.sessionRows.clear());
  const abort = new AbortController();
  const { promise: listening, resolve } = Promise.withResolvers<number>();
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    signal: abort.signal,
    onListen: ({ port, hostname }) => {
      if (!options.quiet) console.log(`ChatOrbit listening on http://${hostname}:${port}/`);
      resolve(port);
    },
  }, app.fetch);
  const port = await listening;

  let stopping: Promise<void> | null = null;
  const stop = (closeSockets: () => void) =>
    stopping ??= (async () => {
      stopSweep();
      closeSockets();
      abort.abort();
      // A client that never answers the close handshake must not hold the exit past the limit.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise((done) => timer = setTimeout(done, DRAIN_LIMIT_MS));
      await Promise.race([server.finished, limit]);
      clearTimeout(timer);
      await fanout?.close().catch(() => {});
      await database.close();
    })();
  const shutdown = () => stop(() => deps.hub.shutdown());
  const drain = () => stop(() => deps.hub.drain());

  if (options.handleSignals !== false) {
    const onSignal = () => {
      if (!options.quiet) console.log("Draining: sockets close with 1012, then exit.");
      drain().finally(() => Deno.exit(0));
    };
    Deno.addSignalListener("SIGINT", onSignal);
    Deno.addSignalListener("SIGTERM", onSignal);
  }
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return { port, url: `http://${host}:${port}`, shutdown, drain, finished: server.finished };
}
