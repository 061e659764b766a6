/** The probes of the health endpoint. */
import { sql } from "kysely";
import type { Db } from "./database.ts";

/**
 * Reads, then tries to take the write lock: a delete that matches no row still has to lock the
 * file in SQLite, so a lock held by another process shows here (after the short busy timeout)
 * even though reads still succeed under WAL.
 */
export async function probeReadAndWrite(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
  await db.deleteFrom("rate_window_counts").where("window_start", "<", -1).execute();
}
