/**
 * The database schema as Kysely sees it, and how a database handle is opened.
 *
 * Times are integer milliseconds since the epoch. Every secret (token, seat credential, client
 * identity) is stored only as a SHA-256 hash, so a copied file opens no session; client addresses
 * only as an HMAC under a key that rotates daily, kept an hour (see server/domain/rate_keys.ts).
 */
import { type Generated, Kysely } from "kysely";
import { nodeSqliteDialect, openSqlite } from "./sqlite_dialect.ts";
import { migrateToLatest } from "./migrator.ts";
import { isPostgresUrl, openPostgres, type PostgresTarget } from "./postgres.ts";
import type { Role } from "../../contract/session.ts";

export interface TokensTable {
  id: Generated<number>;
  token_hash: string;
  validity_expires_at: number;
  session_ttl_seconds: number;
  message_char_limit: number;
  session_started_at: number | null;
  session_expires_at: number | null;
  ended_at: number | null;
  end_reason: string | null;
}

export interface ParticipantsTable {
  id: Generated<number>;
  token_id: number;
  role: Role;
  credential_hash: string;
  identity_hash: string | null;
  joined_at: number;
}

export interface RateEventsTable {
  id: Generated<number>;
  bucket: string;
  client_hash: string;
  at: number;
}

export interface RateLimitKeysTable {
  /** Which rotation period (day number since the epoch) the key serves. */
  period: number;
  /** 32 random bytes, hex. */
  secret: string;
  created_at: number;
}

export interface RateWindowCountsTable {
  bucket: string;
  window_start: number;
  count: number;
}

export interface Database {
  tokens: TokensTable;
  participants: ParticipantsTable;
  rate_events: RateEventsTable;
  rate_limit_keys: RateLimitKeysTable;
  rate_window_counts: RateWindowCountsTable;
}

export type Db = Kysely<Database>;

export interface OpenedDatabase {
  db: Db;
  dialect: "sqlite" | "postgres";
  /** Where a PostgreSQL database is, for the fan-out's own connection; absent on SQLite. */
  postgres?: PostgresTarget;
  close(): Promise<void>;
}

/** Opens the SQLite database at `path` (or ":memory:") and runs every pending migration. */
export async function openDatabase(path: string): Promise<OpenedDatabase> {
  const sqlite = openSqlite(path);
  const db = new Kysely<Database>({ dialect: nodeSqliteDialect(sqlite) });
  await migrateToLatest(db);
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

/** Opens the database a `CHAT_DATABASE_URL` names: PostgreSQL for postgres:// URLs, else SQLite. */
export function openConfiguredDatabase(
  config: { databaseUrl: string; sqlitePath: string },
): Promise<OpenedDatabase> {
  return isPostgresUrl(config.databaseUrl)
    ? openPostgres({ url: config.databaseUrl })
    : openDatabase(config.sqlitePath);
}
