/** Runs the app on a real socket, with the retention sweep and a clean shutdown on signals. */
import { createApp } from "./app.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { OpenedDatabase } from "./db/database.ts";
import { startFront } from "./front/front.ts";
import { DEFAULT_FRONT_LIMITS, type FrontLimits } from "./front/limits.ts";
import { startRetentionSweep } from "./retention.ts";

export interface RunningServer {
  port: number;
  url: string;
  /** Stops accepting, closes sockets with 1001, stops timers and closes the database. */
  shutdown(): Promise<void>;
  finished: Promise<void>;
}

export async function serve(
  config: Config,
  database: OpenedDatabase,
  clock: Clock,
  options: { quiet?: boolean; handleSignals?: boolean; frontLimits?: Partial<FrontLimits> } = {},
): Promise<RunningServer> {
  for (const warning of config.warnings) console.warn(`Warning: ${warning}`);
  const { app, deps } = createApp(config, database.db, clock);
  await deps.hub.recordMissedExpiries();
  const stopSweep = startRetentionSweep(database.db, clock, () => deps.sessionRows.clear());
  const abort = new AbortController();
  const { promise: listening, resolve } = Promise.withResolvers<number>();
  // The front (server/front) owns the public port and hands connections to Deno.serve on loopback.
  const listener = config.connectionFront
    ? Deno.listen({ hostname: config.host, port: config.port })
    : null;
  const server = Deno.serve({
    hostname: listener ? "127.0.0.1" : config.host,
    port: listener ? 0 : config.port,
    signal: abort.signal,
    onListen: ({ port }) => resolve(port),
  }, listener ? (request, info) => app.fetch(request, front!.resolve(info)) : app.fetch);
  const front = listener
    ? startFront(listener, await listening, {
      ...DEFAULT_FRONT_LIMITS,
      connectionsPerAddress: config.connectionsPerAddress,
      ...options.frontLimits,
    })
    : null;
  const port = listener ? listener.addr.port : await listening;
  if (!options.quiet) console.log(`ChatOrbit listening on http://${config.host}:${port}/`);

  let stopping: Promise<void> | null = null;
  const shutdown = () =>
    stopping ??= (async () => {
      stopSweep();
      deps.hub.shutdown();
      // The sockets' 1001 close frames go out through the front before it cuts what is left.
      await front?.close();
      abort.abort();
      await server.finished;
      await database.close();
    })();

  if (options.handleSignals !== false) {
    const onSignal = () => {
      if (!options.quiet) console.log("Shutting down…");
      shutdown().then(() => Deno.exit(0));
    };
    Deno.addSignalListener("SIGINT", onSignal);
    Deno.addSignalListener("SIGTERM", onSignal);
  }
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return { port, url: `http://${host}:${port}`, shutdown, finished: server.finished };
}
