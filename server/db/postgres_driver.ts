/**
 * A Kysely dialect over postgres.js that never calls `sql.reserve()`.
 *
 * kysely-postgres-js takes every connection with `reserve()`, and postgres.js 3.4.9 drops a
 * reserve that is handed to a connection while it is (re)connecting (porsager/postgres#1195): the
 * query then waits forever. That hung one test in a few hundred here. Single queries therefore
 * go straight to the pool, and a transaction runs inside `sql.begin`, which holds one connection
 * for its length by postgres.js's own means.
 */
import type postgres from "postgres";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
} from "kysely";

const ROLLBACK = Symbol("rollback");
const WRITES = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

class PostgresJsConnection implements DatabaseConnection {
  #transaction: postgres.TransactionSql | null = null;
  #finish: ((commit: boolean) => void) | null = null;
  #finished: Promise<void> = Promise.resolve();

  constructor(private readonly sql: postgres.Sql) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const runner = this.#transaction ?? this.sql;
    // deno-lint-ignore no-explicit-any
    const result = await runner.unsafe(compiled.sql, compiled.parameters as any[]);
    return {
      rows: [...result] as R[],
      numAffectedRows: WRITES.has(result.command) ? BigInt(result.count) : undefined,
    };
  }

  // deno-lint-ignore require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("Streaming is not used by this app.");
  }

  /** Opens a transaction and keeps its connection until commit or rollback. */
  begin(): Promise<void> {
    const { promise: started, resolve, reject } = Promise.withResolvers<void>();
    this.#finished = this.sql.begin((transaction) => {
      this.#transaction = transaction;
      resolve();
      return new Promise<void>((done, undo) => {
        this.#finish = (commit) => commit ? done() : undo(ROLLBACK);
      });
    }).then(() => {}, (error) => {
      if (error !== ROLLBACK) throw error;
    });
    this.#finished.catch(reject);
    return started;
  }

  async end(commit: boolean): Promise<void> {
    const finish = this.#finish;
    this.#finish = null;
    this.#transaction = null;
    finish?.(commit);
    await this.#finished;
  }
}

class PostgresJsDriver implements Driver {
  constructor(private readonly sql: postgres.Sql) {}
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new PostgresJsConnection(this.sql));
  }
  beginTransaction(connection: DatabaseConnection): Promise<void> {
    return (connection as PostgresJsConnection).begin();
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return (connection as PostgresJsConnection).end(true);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return (connection as PostgresJsConnection).end(false);
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

export class PostgresJsDialect implements Dialect {
  constructor(private readonly sql: postgres.Sql) {}
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PostgresJsDriver(this.sql);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  // deno-lint-ignore no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
