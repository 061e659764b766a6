/**
 * The dialect-specific part of keeping concurrent writers apart.
 *
 * SQLite runs one write transaction at a time (one connection, and a file lock between
 * processes), so its transactions need nothing more. PostgreSQL runs them side by side under READ
 * COMMITTED: a check-then-write (two seats, a rate count) must lock what it checks first.
 */
import { PostgresAdapter, sql, type Transaction } from "kysely";
import type { Database, Db } from "./database.ts";

export type Executor = Db | Transaction<Database>;

export function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Serializes the transactions that count and then record events for one rate-limit key, until
 * the calling transaction ends (a transaction-scoped advisory lock: nothing to clean up).
 */
export async function lockRateKey(trx: Executor, bucket: string, key: string): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${`${bucket}:${key}`}))`.execute(trx);
}
