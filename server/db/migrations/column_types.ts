// Frozen with the migrations that use it: what a column type means must not change once released.
// deno-lint-ignore-file no-explicit-any
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

/**
 * The few column types that differ between the two dialects. SQLite's INTEGER is 64-bit and its
 * AUTOINCREMENT key is an alias of the row id; PostgreSQL needs BIGINT for millisecond times
 * (they overflow INTEGER) and a sequence for keys. Everything else is written once for both.
 */
export function columnTypes(db: Kysely<any>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    postgres,
    /** Milliseconds since the epoch, and any other 64-bit whole number. */
    time: postgres ? "bigint" as const : "integer" as const,
    /** A column referring to an `id`. */
    reference: postgres ? "bigint" as const : "integer" as const,
    /** Adds an auto-numbered primary key named `id`. */
    id: postgres ? "bigserial" as const : "integer" as const,
    idColumn: (col: ColumnDefinitionBuilder) =>
      postgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
  };
}
