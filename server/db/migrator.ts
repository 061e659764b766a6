/** Runs the migrations listed in a static record (no directory scanning), failing fast. */
import type { Kysely } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";
import * as initial from "./migrations/20261125_0001_initial.ts";
import * as keyedRateCounts from "./migrations/20261201_0002_keyed_rate_counts.ts";

/** Every migration, named by timestamp; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  "20261125_0001_initial": initial,
  "20261201_0002_keyed_rate_counts": keyedRateCounts,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** `schema` names the PostgreSQL schema of the migration tables, when not the default one. */
// deno-lint-ignore no-explicit-any
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : "";
    throw new Error(`Database migration failed${name}: ${String(error)}`);
  }
}
