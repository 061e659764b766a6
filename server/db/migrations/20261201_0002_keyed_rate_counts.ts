// Frozen in time: this migration must never import application code or change once released.
// Written with the schema builder only, so it runs unchanged on SQLite and PostgreSQL.
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // The rotating secrets that rate_events.client_hash is an HMAC under, one per period (day).
  await db.schema.createTable("rate_limit_keys")
    .addColumn("period", "integer", (col) => col.primaryKey())
    .addColumn("secret", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();
  // Counts across all clients per fixed window (the global mint ceiling): one row per window.
  await db.schema.createTable("rate_window_counts")
    .addColumn("bucket", "text", (col) => col.notNull())
    .addColumn("window_start", "bigint", (col) => col.notNull())
    .addColumn("count", "integer", (col) => col.notNull())
    .addPrimaryKeyConstraint("rate_window_counts_pk", ["bucket", "window_start"])
    .execute();
  // Existing rows hold unkeyed, reversible address hashes that the new keyed ones never match.
  await db.deleteFrom("rate_events").execute();
  // Written, never read: who minted a token (kept for its whole life) and when.
  await db.schema.alterTable("tokens").dropColumn("issuer_hash").execute();
  await db.schema.alterTable("tokens").dropColumn("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("tokens").addColumn(
    "created_at",
    "integer",
    (col) => col.notNull().defaultTo(0),
  ).execute();
  await db.schema.alterTable("tokens").addColumn(
    "issuer_hash",
    "text",
    (col) => col.notNull().defaultTo(""),
  ).execute();
  await db.schema.dropTable("rate_window_counts").execute();
  await db.schema.dropTable("rate_limit_keys").execute();
}
