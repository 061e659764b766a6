import assert from "node:assert/strict";
import { DAY } from "../tests/fixtures.ts";
import { ManualClock } from "./clock.ts";
import { openTestDatabase } from "../tests/test_store.ts";
import { SessionsService } from "./domain/sessions_service.ts";
import { RateKeyRing } from "./domain/rate_keys.ts";
import { mintToken } from "./domain/tokens.ts";
import { RETENTION_MS, startRetentionSweep, sweep } from "./retention.ts";

async function setup() {
  const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
  const database = await openTestDatabase();
  const db = database.db;
  const sessions = new SessionsService(db, clock, () => new Set(), {
    limitPerHour: 1000,
    globalPerMinute: 1000,
    keys: new RateKeyRing(db, clock),
  });
  const mint = async (ttlMinutes = 30, address = "10.0.0.1") =>
    (await mintToken(db, clock, {
      limitPerHour: 1000,
      globalPerMinute: 1000,
      keys: new RateKeyRing(db, clock),
    }, {
      validity_period: "1_day",
      session_ttl_minutes: ttlMinutes,
      message_char_limit: 2000,
    }, address)).token;
  const joinBoth = async (token: string) => {
    const host = await sessions.join({ token });
    await sessions.join({ token });
    return host.participant_id;
  };
  const counts = async () => ({
    tokens: Number(
      (await db.selectFrom("tokens").select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()).n,
    ),
    seats: Number(
      (await db.selectFrom("participants").select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()).n,
    ),
    rateEvents: Number(
      (await db.selectFrom("rate_events").select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()).n,
    ),
  });
  return { clock, database, db, sessions, mint, joinBoth, counts };
}

Deno.test("[retention] rows of sessions that ended over a day ago go, with their seats", async () => {
  const { clock, database, db, sessions, mint, joinBoth, counts } = await setup();
  try {
    const expired = await mint(10);
    await joinBoth(expired);
    const ended = await mint(600);
    const hostId = await joinBoth(ended);
    clock.advance(10 * 60 * 1000); // the 10-minute session is over now, and the other one ends
    await sessions.end(ended, hostId);

    // Still within the day after the end: kept, so late readers see "closed".
    await sweep(db, clock.now() + RETENTION_MS - 60_000);
    assert.equal((await counts()).tokens, 2);
    assert.equal((await counts()).seats, 4);

    const result = await sweep(db, clock.now() + RETENTION_MS + 1);
    assert.equal(result.tokens, 2);
    assert.deepEqual(await counts(), { tokens: 0, seats: 0, rateEvents: 0 });
  } finally {
    await database.close();
  }
});

Deno.test("[retention] unactivated tokens go once their validity has passed", async () => {
  const { clock, database, db, sessions, mint, counts } = await setup();
  try {
    const token = await mint();
    await sessions.join({ token }); // host only: never activated
    await sweep(db, clock.now() + DAY - 1);
    assert.equal((await counts()).tokens, 1, "still valid");
    await sweep(db, clock.now() + DAY + RETENTION_MS + 1);
    assert.equal((await counts()).tokens, 0);
    assert.equal((await counts()).seats, 0);
  } finally {
    await database.close();
  }
});

Deno.test("[retention] active and valid sessions are kept", async () => {
  const { clock, database, db, mint, joinBoth, counts } = await setup();
  try {
    await mint(); // issued, valid
    // Activated a minute before its validity ends, with a full day of session left: the passed
    // validity must not delete a session that is still running.
    const late = await mint(1440);
    clock.advance(DAY - 60_000);
    await joinBoth(late);
    const now = clock.now() + RETENTION_MS + 2 * 60_000;
    const result = await sweep(db, now);
    const left = await db.selectFrom("tokens").select(["session_started_at"]).execute();
    assert.equal(result.tokens, 1, "only the issued token whose validity passed a day ago goes");
    assert.equal(left.length, 1);
    assert.notEqual(left[0].session_started_at, null);
    assert.equal((await counts()).seats, 2);
  } finally {
    await database.close();
  }
});

Deno.test("[retention] rate-limit rows older than the longest window go", async () => {
  const { clock, database, db, mint, counts } = await setup();
  try {
    await mint(30, "10.0.0.1");
    clock.advance(30 * 60 * 1000);
    await mint(30, "10.0.0.2");
    const result = await sweep(db, clock.now() + 31 * 60 * 1000);
    assert.equal(result.rateEvents, 1);
    assert.equal((await counts()).rateEvents, 1);
  } finally {
    await database.close();
  }
});

Deno.test("[retention] the periodic sweep runs on the clock and stops when told", async () => {
  const { clock, database, db, mint, counts } = await setup();
  try {
    await mint();
    const stop = startRetentionSweep(() => sweep(db, clock.now()), clock, 60_000);
    // Each sweep is async and arms the next one when it finishes: keep moving time until one
    // runs after the token's retention has passed.
    for (let i = 0; i < 100 && (await counts()).tokens > 0; i++) {
      clock.advance(i === 0 ? 2 * DAY : 60_000);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal((await counts()).tokens, 0);
    stop();
    await mint();
    clock.advance(3 * DAY);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await counts()).tokens, 1, "a stopped sweep deletes nothing");
  } finally {
    await database.close();
  }
});
