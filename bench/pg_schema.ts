/**
 * A PostgreSQL schema of the bench's own, made fresh and dropped with everything in it afterwards,
 * on the database at CHAT_BENCH_POSTGRES_URL (else CHAT_TEST_POSTGRES_URL, else the local test
 * database), so a run never touches tables anyone else uses.
 */
import postgres from "postgres";
import { type PostgresTarget, redactUrl } from "../server/db/postgres.ts";

const POSTGRES_URL = Deno.env.get("CHAT_BENCH_POSTGRES_URL") ||
  Deno.env.get("CHAT_TEST_POSTGRES_URL") || "postgres://postgres@127.0.0.1:5432/test";

/** `fn`'s result, or why PostgreSQL could not be used (one line). */
export async function withBenchSchema<T>(
  fn: (target: Required<PostgresTarget>) => Promise<T>,
): Promise<T | string> {
  const schema = `chatorbit_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(POSTGRES_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin.unsafe(`create schema ${schema}`);
  } catch (error) {
    await admin.end({ timeout: 1 });
    return `no PostgreSQL at ${redactUrl(POSTGRES_URL)} (${(error as Error).message})`;
  }
  try {
    return await fn({ url: POSTGRES_URL, schema });
  } finally {
    await admin.unsafe(`drop schema ${schema} cascade`).catch(() => {});
    await admin.end({ timeout: 5 });
  }
}
