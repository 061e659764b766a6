/** Entry point: configuration, database, application, server. */
import { systemClock } from "./server/clock.ts";
import { ConfigError, loadConfig } from "./server/config.ts";
import { openConfiguredDatabase } from "./server/db/database.ts";
import { databaseOpenError } from "./server/db/open_error.ts";
import { ensureBuilt } from "./framework/build.ts";
import { serve } from "./server/serve.ts";

try {
  const config = loadConfig();
  if (await ensureBuilt()) console.log("Built the client assets.");
  const database = await openConfiguredDatabase(config).catch((error) => {
    throw databaseOpenError(config.databaseUrl, error);
  });
  await serve(config, database, systemClock);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  Deno.exit(1);
}
