/** Runs the app on a real socket, with the retention sweep and a clean shutdown on signals. */
import { createApp } from "./app.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { OpenedDatabase } from "./db/database.ts";
import { startRetentionSweep } from "./retention.ts";
import { startupLines } from "./startup_urls.ts";
import { withAuthorityRoutes } from "./tls/authority_routes.ts";
import { loadTls, tlsDir } from "./tls/mod.ts";
import { watchRenewal } from "./tls/renewal_watch.ts";
import { serveRedirect } from "./tls/redirect.ts";

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
  const stopRenewal = config.tls.kind === "auto"
    ? watchRenewal(tlsDir(config), clock, (line) => console.log(line))
    : () => {};
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
  const redirect = config.httpRedirectPort === null ? null : serveRedirect(
    config.host,
    config.httpRedirectPort,
    port,
    tls?.authority ?? null,
    abort.signal,
  );
  if (!options.quiet) {
    for (const line of [...tls?.notes ?? [], ...startupLines(config.host, port, !!tls)]) {
      console.log(line);
    }
  }

  let stopping: Promise<void> | null = null;
  const shutdown = () =>
    stopping ??= (async () => {
      stopSweep();
      stopRenewal();
      deps.hub.shutdown();
      abort.abort();
      await server.finished;
      await redirect?.finished;
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
  return {
    port,
    url,
    redirectPort: (redirect?.addr as Deno.NetAddr | undefined)?.port,
    shutdown,
    finished: server.finished,
  };
}
