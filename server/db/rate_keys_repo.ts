/** SQL for rate_limit_keys (rotating HMAC keys) and rate_window_counts (global counts). */
import type { Transaction } from "kysely";
import type { Database, Db } from "./database.ts";

import { reusedQuery } from "./reused_query.ts";

type Executor = Db | Transaction<Database>;

// Reused: both run in every mint.
const bump = reusedQuery((db, bucket: string, windowStart: number) =>
  db.insertInto("rate_window_counts").values({ bucket, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.columns(["bucket", "window_start"]).doUpdateSet((eb) => ({
        count: eb("rate_window_counts.count", "+", 1),
      }))
    )
);
const countsOf = reusedQuery((db, bucket: string, starts: number[]) =>
  db.selectFrom("rate_window_counts").select(["window_start", "count"])
    .where("bucket", "=", bucket).where("window_start", "in", starts)
);

/** Stores `secret` for `period` unless another instance stored one first (theirs then wins). */
export async function insertKeyIfMissing(
  db: Executor,
  period: number,
  secret: string,
  createdAt: number,
): Promise<void> {
  await db.insertInto("rate_limit_keys").values({ period, secret, created_at: createdAt })
    .onConflict((oc) => oc.column("period").doNothing()).execute();
}

export function listKeys(
  db: Executor,
  periods: number[],
): Promise<{ period: number; secret: string }[]> {
  return db.selectFrom("rate_limit_keys").select(["period", "secret"])
    .where("period", "in", periods).execute();
}

export async function deleteKeysBefore(db: Executor, period: number): Promise<void> {
  await db.deleteFrom("rate_limit_keys").where("period", "<", period).execute();
}

/** Adds one to `bucket`'s count for the window starting at `windowStart`. */
export async function bumpWindow(db: Executor, bucket: string, windowStart: number): Promise<void> {
  await bump(db, bucket, windowStart);
}

/** The counts of `bucket` in the windows starting at `starts` (missing windows are 0). */
export async function windowCounts(
  db: Executor,
  bucket: string,
  starts: number[],
): Promise<Map<number, number>> {
  const { rows } = await countsOf(db, bucket, starts);
  return new Map(rows.map((row) => [Number(row.window_start), Number(row.count)]));
}

export async function deleteWindowsBefore(db: Executor, before: number): Promise<void> {
  await db.deleteFrom("rate_window_counts").where("window_start", "<", before).execute();
}
