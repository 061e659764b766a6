// Frozen in time: this migration must never import application code or change what it does once
// released. (Its column types went through column_types.ts for PostgreSQL; SQLite gets the same SQL.)
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";
import { columnTypes } from "./column_types.ts";

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable("tokens")
    .addColumn("id", t.id, t.idColumn)
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("issuer_hash", "text", (col) => col.notNull())
    .addColumn("created_at", t.time, (col) => col.notNull())
    .addColumn("validity_expires_at", t.time, (col) => col.notNull())
    .addColumn("session_ttl_seconds", "integer", (col) => col.notNull())
    .addColumn("message_char_limit", "integer", (col) => col.notNull())
    .addColumn("session_started_at", t.time)
    .addColumn("session_expires_at", t.time)
    .addColumn("ended_at", t.time)
    .addColumn("end_reason", "text")
    .execute();
  await db.schema.createIndex("tokens_validity").on("tokens").column("validity_expires_at")
    .execute();
  await db.schema.createIndex("tokens_session_expires").on("tokens").column("session_expires_at")
    .execute();

  await db.schema.createTable("participants")
    .addColumn("id", t.id, t.idColumn)
    .addColumn(
      "token_id",
      t.reference,
      (col) => col.notNull().references("tokens.id").onDelete("cascade"),
    )
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("credential_hash", "text", (col) => col.notNull().unique())
    .addColumn("identity_hash", "text")
    .addColumn("joined_at", t.time, (col) => col.notNull())
    .addUniqueConstraint("participants_token_role", ["token_id", "role"])
    .execute();

  await db.schema.createTable("rate_events")
    .addColumn("id", t.id, t.idColumn)
    .addColumn("bucket", "text", (col) => col.notNull())
    .addColumn("client_hash", "text", (col) => col.notNull())
    .addColumn("at", t.time, (col) => col.notNull())
    .execute();
  await db.schema.createIndex("rate_events_lookup").on("rate_events")
    .columns(["bucket", "client_hash", "at"]).execute();
  await db.schema.createIndex("rate_events_at").on("rate_events").column("at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rate_events").execute();
  await db.schema.dropTable("participants").execute();
  await db.schema.dropTable("tokens").execute();
}
