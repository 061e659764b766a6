/**
 * Kysely dialect over Deno's built-in `node:sqlite`.
 *
 * Kysely's own SqliteDialect expects a better-sqlite3 shaped database: statements with a `reader`
 * flag that take their parameters as one array. `node:sqlite` statements take spread parameters
 * and tell whether they return rows through `columns()`. This adapter bridges the two and keeps a
 * small cache of prepared statements so hot queries are compiled by SQLite only once.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type SqliteDatabase, SqliteDialect, type SqliteStatement } from "kysely";
import { BUSY_TIMEOUT_MS } from "./busy.ts";

type SqlValue = null | number | bigint | string | Uint8Array;

/** How many distinct SQL texts keep their prepared statement. Kysely emits few distinct shapes. */
const STATEMENT_CACHE_SIZE = 200;

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean;
  constructor(private readonly statement: StatementSync) {
    this.reader = statement.columns().length > 0;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.statement.all(...(parameters as SqlValue[]));
  }
  run(
    parameters: ReadonlyArray<unknown>,
  ): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.statement.run(...(parameters as SqlValue[]));
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.statement.iterate(...(parameters as SqlValue[])) as IterableIterator<unknown>;
  }
}

/** Wraps a `DatabaseSync` into the interface Kysely's SQLite driver calls. */
export class NodeSqliteDatabase implements SqliteDatabase {
  private readonly statements = new Map<string, NodeSqliteStatement>();
  constructor(readonly raw: DatabaseSync) {}

  prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement) {
      // Map keeps insertion order: re-inserting makes this the most recently used entry.
      this.statements.delete(sql);
    } else {
      statement = new NodeSqliteStatement(this.raw.prepare(sql));
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        this.statements.delete(this.statements.keys().next().value!);
      }
    }
    this.statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.statements.clear();
    if (this.raw.isOpen) this.raw.close();
  }
}

/**
 * Opens (creating its folder when needed) a SQLite file with the pragmas this app relies on:
 * WAL so readers never wait for the writer, `synchronous=NORMAL` which is durable across
 * application crashes in WAL mode, foreign keys on, and a short busy timeout: the wait blocks the
 * event loop, so a lock held by another process fails fast instead (see busy.ts).
 */
export function openSqlite(path: string): NodeSqliteDatabase {
  if (path !== ":memory:") {
    const folder = path.replace(/[\\/][^\\/]*$/, "");
    if (folder && folder !== path) Deno.mkdirSync(folder, { recursive: true });
  }
  const raw = new DatabaseSync(path);
  raw.exec("PRAGMA journal_mode = WAL");
  raw.exec("PRAGMA synchronous = NORMAL");
  raw.exec("PRAGMA foreign_keys = ON");
  // Deleted rows (old rate-limit keys and address hashes above all) are overwritten, not left in
  // free pages for whoever copies the file.
  raw.exec("PRAGMA secure_delete = ON");
  raw.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return new NodeSqliteDatabase(raw);
}

/** A Kysely dialect for a database opened with {@link openSqlite}. */
export function nodeSqliteDialect(database: NodeSqliteDatabase): SqliteDialect {
  return new SqliteDialect({ database });
}
