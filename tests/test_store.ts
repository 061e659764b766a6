/**
 * Which database the shared test helpers open: SQLite in memory, or a PostgreSQL schema of its
 * own per test (test files run in parallel, so no two tests ever share tables).
 *
 * PostgreSQL is found at CHAT_TEST_POSTGRES_URL, else at the local default below; when neither
 * answers, PostgreSQL tests are ignored with a one-line reason, so `deno task test` passes on a
 * machine without it.
 */
import postgres from "postgres";
import { openDatabase, type OpenedDatabase } from "../server/db/database.ts";
import { openPostgres, type PostgresTarget, redactUrl } from "../server/db/postgres.ts";

export const TEST_POSTGRES_URL = Deno.env.get("CHAT_TEST_POSTGRES_URL") ||
  "postgres://postgres@127.0.0.1:5432/test";

let store: "sqlite" | "postgres" = "sqlite";

/** Makes every later `openTestDatabase` (and so withApp / withServer) use `kind`. */
function useTestStore(kind: "sqlite" | "postgres"): void {
  store = kind;
}

let probe: Promise<string | null> | null = null;

/** Null when PostgreSQL answers at TEST_POSTGRES_URL, else why not (one line). */
export function postgresUnavailable(): Promise<string | null> {
  return probe ??= (async () => {
    const sql = postgres(TEST_POSTGRES_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return null;
    } catch (error) {
      return `no PostgreSQL at ${redactUrl(TEST_POSTGRES_URL)} (${(error as Error).message}); ` +
        "set CHAT_TEST_POSTGRES_URL to run these tests";
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
}

/**
 * Deno before 2.9 (Deno Deploy runs 2.5) arms its WebSocket idle-timeout ping timers as ordinary
 * timers, and re-arms one when a socket closes during its ping, so a test whose sockets idled for
 * half the idle timeout may end with the runtime's timer pending: the sanitizers (ops, and in 2.5
 * resources, where timers are listed) report it as the test's leak. Later Deno uses system timers
 * there, which the sanitizers rightly ignore; the same tests run under it with them on.
 */
const RUNTIME_TIMERS_LOOK_LIKE_LEAKS = (() => {
  const [major, minor] = Deno.version.deno.split(".").map(Number);
  return major < 2 || (major === 2 && minor < 9);
})();

/** Registers `fn` as a test that is ignored, with its reason printed once, without PostgreSQL. */
export async function postgresTest(name: string, fn: () => Promise<void>): Promise<void> {
  const reason = await postgresUnavailable();
  if (reason) console.warn(`${name}: ignored, ${reason}`);
  const sanitize = !RUNTIME_TIMERS_LOOK_LIKE_LEAKS;
  Deno.test({
    name,
    ignore: reason !== null,
    sanitizeOps: sanitize,
    sanitizeResources: sanitize,
    fn,
  });
}

export interface TestSchema {
  target: PostgresTarget;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fresh, uniquely named schema on the test server, dropped (with all in it) on dispose. */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `chatorbit_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create schema ${name}`);
  } finally {
    await admin.end();
  }
  return {
    target: { url: TEST_POSTGRES_URL, schema: name },
    async [Symbol.asyncDispose]() {
      const sql = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop schema ${name} cascade`);
      } finally {
        await sql.end();
      }
    },
  };
}

/**
 * openPostgres, tried again when another test dropped its schema while Kysely's migrator was
 * listing every table of the database (PostgreSQL then fails that listing with "schema ... does
 * not exist", or "relation OTHER_SCHEMA.TABLE does not exist"). Only tests drop schemas under a
 * running app.
 */
export async function openTestPostgres(target: PostgresTarget): Promise<OpenedDatabase> {
  for (let attempt = 1;; attempt++) {
    try {
      return await openPostgres(target);
    } catch (error) {
      if (attempt >= 5 || !/(schema|relation) .* does not exist/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** The database of one test: migrated, empty, gone after close. */
export async function openTestDatabase(): Promise<OpenedDatabase> {
  if (store === "sqlite") return openDatabase(":memory:");
  const schema = await createTestSchema();
  const database = await openTestPostgres(schema.target);
  let closing: Promise<void> | null = null;
  return {
    ...database,
    // Tests may close early (to see a dead database) and again on dispose.
    close: () =>
      closing ??= (async () => {
        await database.close();
        await schema[Symbol.asyncDispose]();
      })(),
  };
}

/**
 * Runs a test file's tests again on PostgreSQL: `load` imports it after the helpers switched, so
 * every withApp / withServer / openTestDatabase in it gets a PostgreSQL schema of its own. Each
 * such file is its own test module (Deno runs modules in separate workers), so the SQLite run of
 * the same file is untouched.
 */
export async function postgresSuite(load: () => Promise<unknown>): Promise<void> {
  const reason = await postgresUnavailable();
  if (reason) {
    console.warn(`[pg] ignored: ${reason}`);
    Deno.test({ name: "[pg] this suite on PostgreSQL", ignore: true, fn() {} });
    return;
  }
  useTestStore("postgres");
  await load();
}
