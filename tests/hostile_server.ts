/**
 * The real server as its own process for the hostile-client suite, so its memory can be read from
 * /proc and a crash is visible. Usage: deno run -A tests/hostile_server.ts <sqlite file>
 * Prints {"port":…} once listening (on "::", so [::1] and 127.0.0.1 are two client addresses);
 * SIGTERM shuts it down. Limits are the defaults unless the environment sets them.
 */
import { systemClock } from "../server/clock.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/database.ts";
import { serve } from "../server/serve.ts";

const config = loadConfig({
  ...Deno.env.toObject(),
  CHAT_DATABASE_URL: `sqlite:${Deno.args[0]}`,
  CHAT_HOST: "::",
  PORT: "0",
});
const database = await openDatabase(config.sqlitePath);
const server = await serve(config, database, systemClock, { quiet: true });
console.log(JSON.stringify({ port: server.port }));
