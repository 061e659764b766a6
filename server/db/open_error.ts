/** Why the database named by CHAT_DATABASE_URL could not be opened, as one line for an operator. */
import { ConfigError } from "../config.ts";
import { isPostgresUrl, redactUrl } from "./postgres.ts";

/** A ConfigError naming the variable, the URL without its password, and the cause in brief. */
export function databaseOpenError(url: string, error: unknown): ConfigError {
  const cause = error instanceof Error ? error.message : String(error);
  const what = isPostgresUrl(url) ? "a reachable PostgreSQL database" : "a SQLite file it can open";
  const detail = `${what} (${cause.split("\n")[0]})`;
  const message = new ConfigError("CHAT_DATABASE_URL", detail, redactUrl(url));
  return message;
}
