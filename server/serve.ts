/** Runs the app on a real socket, with the retention sweep and a clean shutdown on signals. */
import { createApp } from "./app.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { OpenedDatabase } from "./db/database.ts";
import { startFront } from "./front/front.ts";
import { DEFAULT_FRONT_LIMITS, type FrontLimits } from "./front/limits.ts";
import { startRetentionSweep } from "./retention.ts";
import { startupLines } from "./startup_urls.ts";
import { withAuthorityRoutes } from "./tls/authority_routes.ts";
import { loadTls, startTlsCompanions } from "./tls/mod.ts";
import { PostgresFanout } from "./ws/pg_fanout.ts";

/** Deno Deploy sends SIGINT and kills 5 s later: everything must be closed well before. */
const DRAIN_LIMIT_MS = 3_500;

export interface RunningServer {
  port: number;
  /** https://localhost:PORT with TLS (the name its certificate surely covers). */
  url: string;
  /** The plain-HTTP redirect listener's port, when there is one. */
  redirectPort?: number;
  /** Stops accepting, closes sockets with 1001, stops timers and closes the database. */
  shutdown(): Promise<void>;
  /** As shutdown, but sockets close with 1012 so their clients reconnect elsewhere at once. */
  drain(): Promise<void>;
  finished: Promise<void>;
}

export interface ServeOptions {
  quiet?: boolean;
  handleSignals?: boolean;
  frontLimits?: Partial<FrontLimits>;
  /** The front pipes every request to Deno.serve instead of answering plain ones itself (tests). */
  pipeAll?: boolean;
}

export async function serve(
  config: Config,
  database: OpenedDatabase,
  clock: Clock,
  options: ServeOptions = {},
): Promise<RunningServer> {
  for (const warning of config.warnings) console.warn(`Warning: ${warning}`);
  const tls = await loadTls(config); // Before anything starts: bad files stop start-up here.
  // Several instances on one PostgreSQL database reach each other's seats through it.
  const fanout = database.postgres ? await PostgresFanout.start(database.postgres) : undefined;
  const { app, deps } = createApp(config, database.db, clock, fanout);
  await deps.sessions.recordMissedExpiries();
  const stopSweep = startRetentionSweep(() => deps.sessions.sweep(), clock);
  const abort = new AbortController();
  const { promise: listening, resolve } = Promise.withResolvers<number>();
  const handler = withAuthorityRoutes(app.fetch, tls?.authority ?? null);
  // The front (server/front) owns the public port, terminating TLS when it is on, and hands
  // connections to Deno.serve on loopback.
  const listener = !config.connectionFront
    ? null
    : tls
    ? Deno.listenTls({ hostname: config.host, port: config.port, ...tls.listen })
    : Deno.listen({ hostname: config.host, port: config.port });
  const server = Deno.serve({
    hostname: listener ? "127.0.0.1" : config.host,
    port: listener ? 0 : config.port,
    ...(listener ? {} : tls?.listen),
    signal: abort.signal,
    onListen: ({ port }) => resolve(port),
  }, listener ? (request, info) => handler(request, front!.resolve(info)) : handler);
  const front = listener
    ? startFront(listener, await listening, {
      ...DEFAULT_FRONT_LIMITS,
      // Behind a trusted proxy every client arrives from its address: the proxy caps per client.
      connectionsPerAddress: config.trustProxy ? Infinity : config.connectionsPerAddress,
      ...options.frontLimits,
    }, options.pipeAll ? null : { handler, scheme: tls ? "https" : "http" })
    : null;
  const port = listener ? listener.addr.port : await listening;
  const companions = startTlsCompanions(config, tls, port, clock);
  if (!options.quiet) {
    for (const line of [...tls?.notes ?? [], ...startupLines(config.host, port, !!tls)]) {
      console.log(line);
    }
  }

  let stopping: Promise<void> | null = null;
  const stop = (closeSockets: () => void) =>
    stopping ??= (async () => {
      stopSweep();
      closeSockets();
      // The sockets' close frames go out through the front before it cuts what is left.
      await front?.close();
      abort.abort();
      // A client that never answers the close handshake must not hold the exit past the limit.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise((done) => timer = setTimeout(done, DRAIN_LIMIT_MS));
      await Promise.race([server.finished.then(() => deps.hub.settled()), limit]);
      clearTimeout(timer);
      await companions.stop();
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
  const url = tls ? `https://localhost:${port}` : `http://${host}:${port}`;
  const { redirectPort } = companions;
  return { port, url, redirectPort, shutdown, drain, finished: server.finished };
}
