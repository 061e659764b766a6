import assert from "node:assert/strict";
import { type Generated, Kysely, sql } from "kysely";
import { NodeSqliteDatabase, nodeSqliteDialect, openSqlite } from "./sqlite_dialect.ts";

interface ThingsTable {
  id: Generated<number>;
  name: string;
  size: number | null;
}

/** node:sqlite rows have a null prototype; compare their fields only. */
const plain = <T extends object>(rows: T[]) => rows.map((row) => ({ ...row }));

async function withThings(
  fn: (db: Kysely<{ things: ThingsTable }>, sqlite: NodeSqliteDatabase) => Promise<void>,
) {
  const sqlite = openSqlite(":memory:");
  const db = new Kysely<{ things: ThingsTable }>({ dialect: nodeSqliteDialect(sqlite) });
  await db.schema.createTable("things")
    .addColumn("id", "integer", (col) => col.primaryKey().autoIncrement())
    .addColumn("name", "text", (col) => col.notNull().unique())
    .addColumn("size", "integer")
    .execute();
  try {
    await fn(db, sqlite);
  } finally {
    await db.destroy();
  }
}

Deno.test("[sqlite] statements that return rows are readers, others are not", () => {
  const sqlite = openSqlite(":memory:");
  try {
    sqlite.raw.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    assert.equal(sqlite.prepare("SELECT * FROM t").reader, true);
    assert.equal(sqlite.prepare("SELECT 1").reader, true);
    assert.equal(sqlite.prepare("INSERT INTO t (v) VALUES (?)").reader, false);
    assert.equal(sqlite.prepare("INSERT INTO t (v) VALUES (?) RETURNING id").reader, true);
    assert.equal(sqlite.prepare("UPDATE t SET v = ?").reader, false);
    assert.equal(sqlite.prepare("DELETE FROM t RETURNING v").reader, true);
  } finally {
    sqlite.close();
  }
});

Deno.test("[sqlite] parameters are bound in order, one value per placeholder", async () => {
  await withThings(async (db) => {
    await db.insertInto("things").values([
      { name: "a", size: 1 },
      { name: "b", size: null },
      { name: "c", size: 3 },
    ]).execute();
    const rows = await db.selectFrom("things").select(["name", "size"])
      .where("size", ">=", 1).where("name", "!=", "c").where("name", "in", ["a", "b", "c"])
      .execute();
    assert.deepEqual(plain(rows), [{ name: "a", size: 1 }]);
    const raw = await sql<
      { x: number; y: string; z: null }
    >`select ${7} as x, ${"y"} as y, ${null} as z`
      .execute(db);
    assert.deepEqual(plain(raw.rows), [{ x: 7, y: "y", z: null }]);
  });
});

Deno.test("[sqlite] inserts report their row id and updates the rows they changed", async () => {
  await withThings(async (db) => {
    const first = await db.insertInto("things").values({ name: "a", size: 1 }).executeTakeFirst();
    const second = await db.insertInto("things").values({ name: "b", size: 2 }).executeTakeFirst();
    assert.equal(Number(first.insertId), 1);
    assert.equal(Number(second.insertId), 2);
    const updated = await db.updateTable("things").set({ size: 9 }).executeTakeFirst();
    assert.equal(Number(updated.numUpdatedRows), 2);
    const deleted = await db.deleteFrom("things").where("name", "=", "a").executeTakeFirst();
    assert.equal(Number(deleted.numDeletedRows), 1);
    const returned = await db.insertInto("things").values({ name: "c", size: null })
      .returning(["id", "name"]).executeTakeFirstOrThrow();
    assert.deepEqual({ ...returned }, { id: 3, name: "c" });
  });
});

Deno.test("[sqlite] a transaction that throws leaves nothing behind", async () => {
  await withThings(async (db) => {
    await db.insertInto("things").values({ name: "kept", size: 1 }).execute();
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("things").values({ name: "rolled back", size: 2 }).execute();
        await trx.updateTable("things").set({ size: 100 }).execute();
        // Violates the unique constraint: the whole transaction must roll back.
        await trx.insertInto("things").values({ name: "kept", size: 3 }).execute();
      }),
      /UNIQUE/,
    );
    const rows = await db.selectFrom("things").selectAll().execute();
    assert.deepEqual(plain(rows), [{ id: 1, name: "kept", size: 1 }]);

    await db.transaction().execute(async (trx) => {
      await trx.insertInto("things").values({ name: "committed", size: 2 }).execute();
    });
    assert.equal((await db.selectFrom("things").selectAll().execute()).length, 2);
  });
});

Deno.test("[sqlite] a prepared statement is reused for the same SQL text", async () => {
  await withThings(async (db, sqlite) => {
    const prepared: string[] = [];
    const original = sqlite.raw.prepare.bind(sqlite.raw);
    sqlite.raw.prepare = (text: string) => {
      prepared.push(text);
      return original(text);
    };
    for (let i = 0; i < 5; i++) {
      await db.insertInto("things").values({ name: `n${i}`, size: i }).execute();
      await db.selectFrom("things").selectAll().where("name", "=", `n${i}`).execute();
    }
    assert.equal(prepared.length, 2, `prepared: ${prepared.join(" | ")}`);
    assert.equal(sqlite.prepare("SELECT 1"), sqlite.prepare("SELECT 1"));
  });
});

Deno.test("[sqlite] the statement cache evicts the least recently used SQL", () => {
  const sqlite = new NodeSqliteDatabase(openSqlite(":memory:").raw);
  try {
    const hot = sqlite.prepare("SELECT 0");
    for (let i = 1; i <= 300; i++) {
      sqlite.prepare(`SELECT ${i}`);
      // Touching the hot statement keeps it the most recently used.
      assert.equal(sqlite.prepare("SELECT 0"), hot);
    }
    const cold = sqlite.prepare("SELECT 1");
    assert.notEqual(cold, sqlite.prepare("SELECT 2"));
    // "SELECT 1" was evicted long ago, so it was prepared afresh and is cached again now.
    assert.equal(sqlite.prepare("SELECT 1"), cold);
  } finally {
    sqlite.close();
  }
});

Deno.test("[sqlite] a file database creates its folder and uses WAL and foreign keys", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sqlite = openSqlite(`${dir}/nested/deeper/chat.db`);
    const mode = sqlite.raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    const fk = sqlite.raw.prepare("PRAGMA foreign_keys").get() as { foreign_keys: number };
    sqlite.close();
    assert.equal(mode.journal_mode, "wal");
    assert.equal(fk.foreign_keys, 1);
    assert.ok((await Deno.stat(`${dir}/nested/deeper/chat.db`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
