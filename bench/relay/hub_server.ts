/**
 * The real server for the relay benchmark, in its own process so its memory and CPU are its own.
 * Usage: deno run -A --v8-flags=--expose-gc bench/relay/hub_server.ts <sqlite file>
 *        deno run -A --v8-flags=--expose-gc bench/relay/hub_server.ts <postgres URL> <schema>
 */
import { systemClock } from "../../server/clock.ts";
import { loadConfig } from "../../server/config.ts";
import { openDatabase } from "../../server/db/database.ts";
import { isPostgresUrl, openPostgres } from "../../server/db/postgres.ts";
import { serve } from "../../server/serve.ts";
import { fullGc, serveControl } from "./protocol.ts";

const [where, schema] = Deno.args;
const onPostgres = isPostgresUrl(where);
const config = loadConfig({
  CHAT_DATABASE_URL: onPostgres ? where : `sqlite:${where}`,
  CHAT_HOST: "127.0.0.1",
  PORT: "0",
  // Setting up thousands of sessions from one address at once must not meet the limiters.
  CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000000",
  CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: "100000000",
  CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "1000000",
  // Every load socket comes from 127.0.0.1: the per-address caps would refuse them.
  CHAT_CONNECTIONS_PER_ADDRESS: "1000000",
  CHAT_PENDING_SOCKETS_PER_ADDRESS: "1000000",
  // BENCH_CONNECTION_FRONT=false measures the relay without the connection front.
  CHAT_CONNECTION_FRONT: Deno.env.get("BENCH_CONNECTION_FRONT") ?? "true",
});
const database = onPostgres
  ? await openPostgres({ url: where, schema })
  : await openDatabase(config.sqlitePath);
const server = await serve(config, database, systemClock, { quiet: true, handleSignals: false });
console.log(JSON.stringify({ ready: true, port: server.port }));
await serveControl(fullGc, async () => {
  await server.shutdown().catch(() => {});
  Deno.exit(0);
});
