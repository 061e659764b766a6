/** Runs the app on a real socket, with the retention sweep and a clean shutdown on signals. */
import { createApp } from "./app.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { OpenedDatabase } from "./db/database.ts";
import { startRetentionSweep } from "./retention.ts";
import { startupLines } from "./startup_urls.ts";
import { withAuthorityRoutes } from "./tls/authority_routes.ts";
import { loadTls, startTlsCompanions } from "./tls/mod.ts";

export interface RunningServer {
  port: number;
  /** https://localhost:PORT with TLS (the name its certificate surely covers). */
  url: string;
  /** The plain-HTTP redirect listener's port, when there is one. */
  redirectPort?: number;
  /** Stops accepting, closes sockets with 1001, stops timers and closes the database. */
  shutdown(): Promise<void>;
  finished: Promise<void>;
}

export async function serve(
  config: Config,
  database: OpenedDatabase,
  clock: Clock,
  options: { quiet?: boolean; handleSignals?: boolean } = {},
): Promise<RunningServer> {
  for (const warning of config.warnings) console.warn(`Warning: ${warning}`);
  const tls = await loadTls(config); // Before anything starts: bad files stop start-up here.
  const { app, deps } = createApp(config, database.db, clock);
  await deps.hub.recordMissedExpiries();
  const stopSweep = startRetentionSweep(database.db, clock, () => deps.sessionRows.clear());
  const abort = new AbortController();
  const { promise: listening, resolve } = Promise.withResolvers<number>();
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    signal: abort.signal,
    ...tls?.listen,
    onListen: ({ port }) => resolve(port),
  }, withAuthorityRoutes(app.fetch, tls?.authority ?? null));
  const port = await listening;
  const companions = startTlsCompanions(config, tls, port, clock);
  if (!options.quiet) {
    for (const line of [...tls?.notes ?? [], ...startupLines(config.host, port, !!tls)]) {
      console.log(line);
    }
  }

  let stopping: Promise<void> | null = null;
  const shutdown = () =>
    stopping ??= (async () => {
      stopSweep();
      deps.hub.shutdown();
      abort.abort();
      await server.finished;
      await companions.stop();
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
  const url = tls ? `https://localhost:${port}` : `http://${host}:${port}`;
  const { redirectPort } = companions;
  return { port, url, redirectPort, shutdown, finished: server.finished };
}
