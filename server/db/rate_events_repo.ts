/** SQL for the rate_events table: one row per counted action of one (keyed-hash) client. */
import type { Transaction } from "kysely";
import type { Database, Db } from "./database.ts";

import { reusedQuery } from "./reused_query.ts";

type Executor = Db | Transaction<Database>;

// Reused: both run in every mint.
const countSince = reusedQuery((db, bucket: string, clientHashes: string[], since: number) =>
  db.selectFrom("rate_events")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min<number>("at").as("oldest")])
    .where("bucket", "=", bucket).where("client_hash", "in", clientHashes).where("at", ">", since)
);
const insert = reusedQuery((db, bucket: string, clientHash: string, at: number) =>
  db.insertInto("rate_events").values({ bucket, client_hash: clientHash, at })
);

/** Count and oldest time of a client's events (under any of its hashes) in `bucket` after `since`. */
export async function countEventsSince(
  db: Executor,
  bucket: string,
  clientHashes: string[],
  since: number,
): Promise<{ count: number; oldest: number | null }> {
  const [row] = (await countSince(db, bucket, clientHashes, since)).rows;
  return { count: Number(row.count), oldest: row.oldest };
}

export async function insertEvent(
  db: Executor,
  bucket: string,
  clientHash: string,
  at: number,
): Promise<void> {
  await insert(db, bucket, clientHash, at);
}

export async function deleteEventsBefore(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom("rate_events").where("at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
