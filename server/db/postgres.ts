/**
 * PostgreSQL through postgres.js (npm:postgres) and a small Kysely dialect (postgres_driver.ts).
 *
 * postgres.js was chosen over `pg`: it runs on Deno 2.5 and 2.9 from npm with no native parts,
 * pipelines queries on one connection (which keeps NOTIFYs in order, see ws/pg_fanout.ts), and
 * keeps LISTEN on its own dedicated connection that reconnects by itself.
 */
import postgres from "postgres";
import { Kysely } from "kysely";
import { PostgresJsDialect } from "./postgres_driver.ts";
import type { Database, OpenedDatabase } from "./database.ts";
import { migrateToLatest } from "./migrator.ts";

export interface PostgresTarget {
  url: string;
  /** A schema to work in instead of `public` (tests give each test its own). */
  schema?: string;
}

/** Connections the app's queries share; the fan-out opens its own (see ws/pg_fanout.ts). */
const POOL_SIZE = 10;

/**
 * The schema the app works in: `target.schema`, or a `search_path` given in the URL (postgres.js
 * passes unknown URL parameters on as connection parameters), or none (PostgreSQL's default).
 */
export function schemaOf(target: PostgresTarget): string | undefined {
  if (target.schema) return target.schema;
  try {
    return new URL(target.url).searchParams.get("search_path") ?? undefined;
  } catch {
    return undefined;
  }
}

/** True for the URL schemes this module serves. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * A postgres.js client. BIGINT columns (millisecond times, ids, counts) come back as numbers: they
 * stay far below 2^53, and the domain code does arithmetic on them.
 */
export function postgresClient(
  target: PostgresTarget,
  options: { max?: number; applicationName?: string } = {},
): postgres.Sql {
  return postgres(target.url, {
    max: options.max ?? POOL_SIZE,
    onnotice: () => {},
    // Fail fast on an unreachable server rather than postgres.js's default of 30 s.
    connect_timeout: 10,
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (value: number) => String(value),
        parse: (value: string) => Number(value),
      },
    },
    connection: {
      application_name: options.applicationName ?? "chatorbit",
      ...(target.schema ? { search_path: target.schema } : {}),
    },
  });
}

/** Opens the PostgreSQL database at `target` and runs every pending migration. */
export async function openPostgres(target: PostgresTarget): Promise<OpenedDatabase> {
  const client = postgresClient(target);
  const db = new Kysely<Database>({ dialect: new PostgresJsDialect(client) });
  try {
    await migrateToLatest(db, schemaOf(target));
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return { db, dialect: "postgres", postgres: target, close: () => db.destroy() };
}
