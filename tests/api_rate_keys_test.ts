/**
 * Points 9 and 15 of issue 8: stored address hashes are keyed (HMAC-SHA-256 under a secret that
 * rotates daily, the previous one deleted once the hourly window no longer needs it), nothing is
 * stored that is never read, IPv6 counts by /64, and all addresses together meet a ceiling.
 */
import assert from "node:assert/strict";
import { DAY, HOUR } from "./fixtures.ts";
import { createHash, createHmac } from "node:crypto";
import { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { ManualClock } from "../server/clock.ts";
import { type Database, openDatabase } from "../server/db/database.ts";
import { migrations } from "../server/db/migrator.ts";
import { nodeSqliteDialect, openSqlite } from "../server/db/sqlite_dialect.ts";
import { MINT_BODY, postJson, type TestApp, withApp } from "./helpers.ts";

const mintFrom = (t: TestApp, address: string) =>
  postJson(t.app, "/api/tokens", MINT_BODY, { "x-forwarded-for": address });

async function expectStatus(response: Promise<Response>, status: number, what: string) {
  const answer = await response;
  assert.equal(answer.status, status, what);
  await answer.body?.cancel();
  return answer;
}

const keys = (t: TestApp) =>
  t.deps.db.selectFrom("rate_limit_keys").select(["period", "secret"]).orderBy("period").execute();

Deno.test("[privacy] a stored address hash is an HMAC under the current key, not a plain hash", async () => {
  await using t = await withApp({ CHAT_TRUST_PROXY: "true" });
  const address = "203.0.113.5";
  await expectStatus(mintFrom(t, address), 201, "mint");
  const [event] = await t.deps.db.selectFrom("rate_events").selectAll().execute();
  const unkeyed = createHash("sha256").update("client").update("\0").update(address).digest("hex");
  assert.notEqual(event.client_hash, unkeyed);
  const [key] = await keys(t);
  assert.equal(key.period, Math.floor(t.clock.now() / DAY));
  assert.match(key.secret, /^[0-9a-f]{64}$/);
  const keyed = createHmac("sha256", Buffer.from(key.secret, "hex")).update("client").update("\0")
    .update(address).digest("hex");
  assert.equal(event.client_hash, keyed);
});

Deno.test("[privacy] tokens keep no issuer and no creation time (written, never read)", async () => {
  await using t = await withApp();
  await expectStatus(postJson(t.app, "/api/tokens", MINT_BODY), 201, "mint");
  const sqlite = await t.deps.db.selectFrom("tokens").selectAll().executeTakeFirstOrThrow();
  assert.ok(!("issuer_hash" in sqlite));
  assert.ok(!("created_at" in sqlite));
});

Deno.test("[privacy] the key rotates daily; the old one counts for an hour, then is deleted", async () => {
  await using t = await withApp({ CHAT_TRUST_PROXY: "true", CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "2" });
  const dayStart = Math.floor(t.clock.now() / DAY) * DAY;
  t.clock.advance(dayStart + DAY - 30 * 60 * 1000 - t.clock.now()); // 23:30
  await expectStatus(mintFrom(t, "192.0.2.9"), 201, "first");
  await expectStatus(mintFrom(t, "192.0.2.9"), 201, "second");
  t.clock.advance(40 * 60 * 1000); // 00:10 the next day: a new key
  // The mints of 23:30 were stored under yesterday's key and still count.
  await expectStatus(mintFrom(t, "192.0.2.9"), 429, "third, after rotation");
  assert.deepEqual((await keys(t)).map((k) => k.period), [
    Math.floor(dayStart / DAY),
    Math.floor(dayStart / DAY) + 1,
  ]);
  t.clock.advance(55 * 60 * 1000); // 01:05: the hour is over, the old key must go
  await expectStatus(mintFrom(t, "192.0.2.9"), 201, "after the window");
  assert.deepEqual((await keys(t)).map((k) => k.period), [Math.floor(dayStart / DAY) + 1]);
});

Deno.test("[rate] one IPv6 /64 shares one mint allowance", async () => {
  await using t = await withApp({ CHAT_TRUST_PROXY: "true", CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "2" });
  await expectStatus(mintFrom(t, "2001:db8:1:2::1"), 201, "::1");
  await expectStatus(mintFrom(t, "2001:db8:1:2:aaaa:bbbb:cccc:2"), 201, "another in the /64");
  await expectStatus(mintFrom(t, "2001:db8:1:2:ffff::3"), 429, "a third in the /64");
  await expectStatus(mintFrom(t, "2001:db8:1:3::1"), 201, "the next /64");
});

Deno.test("[rate] all addresses together meet CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE", async () => {
  await using t = await withApp({
    CHAT_TRUST_PROXY: "true",
    CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: "5",
  });
  t.clock.advance(30_000 - (t.clock.now() % 60_000) + 60_000); // half a minute in
  for (let i = 1; i <= 5; i++) await expectStatus(mintFrom(t, `198.51.100.${i}`), 201, `#${i}`);
  const refused = await mintFrom(t, "198.51.100.99");
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
  assert.match((await refused.json()).detail, /5 a minute in all/);
  // The no-JavaScript form meets the same ceiling.
  const form = await t.app.request("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-forwarded-for": "198.51.100.98",
    },
    body: "intent=mint&validity_period=1_day&session_ttl_minutes=5&message_char_limit=2000",
  });
  assert.equal(form.status, 429);
  await form.body?.cancel();
  t.clock.advance(2 * 60_000);
  await expectStatus(mintFrom(t, "198.51.100.99"), 201, "a minute later");
});

Deno.test("[privacy] upgrading drops the unread columns and the unkeyed address hashes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/chat.db`;
    // deno-lint-ignore no-explicit-any
    const old = new Kysely<any>({ dialect: nodeSqliteDialect(openSqlite(path)) });
    const first = { "20261125_0001_initial": migrations["20261125_0001_initial"] };
    await new Migrator({ db: old, provider: { getMigrations: () => Promise.resolve(first) } })
      .migrateToLatest();
    await old.insertInto("tokens").values({
      token_hash: "t",
      issuer_hash: "reversible",
      created_at: 1,
      validity_expires_at: Date.now() + DAY,
      session_ttl_seconds: 60,
      message_char_limit: 2000,
    }).execute();
    await old.insertInto("rate_events").values({ bucket: "mint", client_hash: "reversible", at: 1 })
      .execute();
    await old.destroy();

    const database = await openDatabase(path);
    const db = database.db as Kysely<Database>;
    const token = await db.selectFrom("tokens").selectAll().executeTakeFirstOrThrow();
    assert.equal(token.token_hash, "t");
    assert.ok(!("issuer_hash" in token) && !("created_at" in token));
    assert.equal((await db.selectFrom("rate_events").selectAll().execute()).length, 0);
    await database.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[privacy] deleted rows are overwritten in the file (secure_delete)", () => {
  const sqlite = openSqlite(":memory:");
  const row = sqlite.raw.prepare("PRAGMA secure_delete").get() as { secure_delete: number };
  sqlite.close();
  assert.equal(row.secure_delete, 1);
});

Deno.test("[privacy] the retention sweep deletes keys no window needs", async () => {
  const { sweep } = await import("../server/retention.ts");
  const clock = new ManualClock(Date.parse("2026-03-02T00:30:00Z"));
  const database = await openDatabase(":memory:");
  try {
    const period = Math.floor(clock.now() / DAY);
    await database.db.insertInto("rate_limit_keys").values([
      { period: period - 2, secret: "aa", created_at: 0 },
      { period: period - 1, secret: "bb", created_at: 0 },
      { period, secret: "cc", created_at: 0 },
    ]).execute();
    await sweep(database.db, clock.now());
    const left = async () =>
      (await database.db.selectFrom("rate_limit_keys").select("period").orderBy("period").execute())
        .map((row) => row.period);
    assert.deepEqual(await left(), [period - 1, period]);
    clock.advance(HOUR);
    await sweep(database.db, clock.now());
    assert.deepEqual(await left(), [period]);
  } finally {
    await database.close();
  }
});
