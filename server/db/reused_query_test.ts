import assert from "node:assert/strict";
import { openDatabase } from "./database.ts";
import { reusedQuery } from "./reused_query.ts";

Deno.test("[db] a reused query runs with each call's values, lists of any length included", async () => {
  const database = await openDatabase(":memory:");
  const db = database.db;
  try {
    const insert = reusedQuery((db, bucket: string, hash: string, at: number) =>
      db.insertInto("rate_events").values({ bucket, client_hash: hash, at })
    );
    const count = reusedQuery((db, bucket: string, hashes: string[]) =>
      db.selectFrom("rate_events").select((eb) => eb.fn.countAll<number>().as("n"))
        .where("bucket", "=", bucket).where("client_hash", "in", hashes)
    );
    await insert(db, "b", "h1", 1);
    await insert(db, "b", "h2", 2);
    await insert(db, "other", "h1", 3);
    assert.equal(Number((await count(db, "b", ["h1"])).rows[0].n), 1);
    assert.equal(Number((await count(db, "b", ["h1", "h2"])).rows[0].n), 2);
    assert.equal(Number((await count(db, "other", ["h1", "h2"])).rows[0].n), 1);
  } finally {
    await database.close();
  }
});

Deno.test("[db] a builder that uses an argument for the query's shape is refused", async () => {
  const database = await openDatabase(":memory:");
  const shaped = reusedQuery((db, limit: number) =>
    db.selectFrom("rate_events").selectAll().limit(Number(limit) || 5)
  );
  try {
    await assert.rejects(async () => await shaped(database.db, 3), /not used as plain values/);
  } finally {
    await database.close();
  }
});
