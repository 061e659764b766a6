// Frozen in time: this migration must never import application code or change once released.
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("tokens")
    .addColumn("id", "integer", (col) => col.primaryKey().autoIncrement())
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("issuer_hash", "text", (col) => col.notNull())
    .addColumn("created_at", "integer", (col) => col.notNull())
    .addColumn("validity_expires_at", "integer", (col) => col.notNull())
    .addColumn("session_ttl_seconds", "integer", (col) => col.notNull())
    .addColumn("message_char_limit", "integer", (col) => col.notNull())
    .addColumn("session_started_at", "integer")
    .addColumn("session_expires_at", "integer")
    .addColumn("ended_at", "integer")
    .addColumn("end_reason", "text")
    .execute();
  await db.schema.createIndex("tokens_validity").on("tokens").column("validity_expires_at")
    .execute();
  await db.schema.createIndex("tokens_session_expires").on("tokens").column("session_expires_at")
    .execute();

  await db.schema.createTable("participants")
    .addColumn("id", "integer", (col) => col.primaryKey().autoIncrement())
    .addColumn(
      "token_id",
      "integer",
      (col) => col.notNull().references("tokens.id").onDelete("cascade"),
    )
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("credential_hash", "text", (col) => col.notNull().unique())
    .addColumn("identity_hash", "text")
    .addColumn("joined_at", "integer", (col) => col.notNull())
    .addUniqueConstraint("participants_token_role", ["token_id", "role"])
    .execute();

  await db.schema.createTable("rate_events")
    .addColumn("id", "integer", (col) => col.primaryKey().autoIncrement())
    .addColumn("bucket", "text", (col) => col.notNull())
    .addColumn("client_hash", "text", (col) => col.notNull())
    .addColumn("at", "integer", (col) => col.notNull())
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
