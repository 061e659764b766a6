/** SQL for the rate_events table: one row per counted action of one (keyed-hash) client. */
import type { Transaction } from "kysely";
import type { Database, Db } from "./database.ts";

type Executor = Db | Transaction<Database>;

/** Count and oldest time of a client's events (under any of its hashes) in `bucket` after `since`. */
export async function countEventsSince(
  db: Executor,
  bucket: string,
  clientHashes: string[],
  since: number,
): Promise<{ count: number; oldest: number | null }> {
  const row = await db.selectFrom("rate_events")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min<number>("at").as("oldest")])
    .where("bucket", "=", bucket).where("client_hash", "in", clientHashes).where("at", ">", since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest };
}

export async function insertEvent(
  db: Executor,
  bucket: string,
  clientHash: string,
  at: number,
): Promise<void> {
  await db.insertInto("rate_events").values({ bucket, client_hash: clientHash, at }).execute();
}

export async function deleteEventsBefore(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom("rate_events").where("at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
