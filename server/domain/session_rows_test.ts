import assert from "node:assert/strict";
import { ManualClock } from "../clock.ts";
import { openTestDatabase } from "../../tests/test_store.ts";
import { SessionRowCache } from "./session_rows.ts";
import { hashToken, joinSession } from "./sessions.ts";
import { RateKeyRing } from "./rate_keys.ts";
import { mintToken } from "./tokens.ts";

async function setup() {
  const clock = new ManualClock();
  const database = await openTestDatabase();
  const { token } = await mintToken(database.db, clock, {
    limitPerHour: 100,
    globalPerMinute: 1000,
    keys: new RateKeyRing(database.db, clock),
  }, {
    validity_period: "1_day",
    session_ttl_minutes: 5,
    message_char_limit: 2000,
  }, "127.0.0.1");
  return { clock, database, token, cache: new SessionRowCache(database.db, 2) };
}

Deno.test("[session rows] a read is cached until forgotten", async () => {
  const { clock, database, token, cache } = await setup();
  const hash = hashToken(token);
  assert.equal((await cache.get(hash))!.participants.length, 0);
  await joinSession(database.db, clock, { token });
  assert.equal((await cache.get(hash))!.participants.length, 0, "served from the cache");
  cache.forget(hash);
  assert.equal((await cache.get(hash))!.participants.length, 1);
  await database.close();
});

Deno.test("[session rows] a read racing with a change is not cached", async () => {
  const { clock, database, token, cache } = await setup();
  const hash = hashToken(token);
  const racing = cache.get(hash);
  await joinSession(database.db, clock, { token });
  cache.forget(hash);
  await racing;
  assert.equal((await cache.get(hash))!.participants.length, 1);
  await database.close();
});

Deno.test("[session rows] unknown tokens are not remembered and capacity is bounded", async () => {
  const { database, token, cache } = await setup();
  assert.equal(await cache.get(hashToken("nope")), null);
  assert.ok(await cache.get(hashToken(token)));
  cache.clear();
  assert.ok(await cache.get(hashToken(token)));
  await database.close();
});
