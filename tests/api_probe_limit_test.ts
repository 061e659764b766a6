/**
 * Point 10 of issue 8: whether a token exists cannot be tested without limit. Failed status
 * reads, DELETEs and room-page loads count against the same per-address allowance as joins;
 * successful requests do not; presence is shown only to seat holders.
 */
import assert from "node:assert/strict";
import { MINT_BODY, postJson, type TestApp, withApp } from "./helpers.ts";

const LIMIT = 5;
const UNKNOWN = "B".repeat(43);

async function mintAndJoin(t: TestApp) {
  const { token } = await (await postJson(t.app, "/api/tokens", MINT_BODY)).json();
  const host = await (await postJson(t.app, "/api/sessions/join", { token })).json();
  return { token, participantId: host.participant_id as string };
}

const status = (t: TestApp, token: string, headers: Record<string, string> = {}) =>
  Promise.resolve(t.app.request(`/api/sessions/${token}/status`, { headers }));
const remove = (t: TestApp, token: string, headers: Record<string, string> = {}) =>
  Promise.resolve(t.app.request(`/api/sessions/${token}`, { method: "DELETE", headers }));

Deno.test("[probe] failed status reads use up the join allowance; then 429 with Retry-After", async () => {
  await using t = await withApp({ CHAT_JOIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  const { token } = await mintAndJoin(t); // one join counted
  for (let i = 1; i < LIMIT; i++) {
    const response = await status(t, UNKNOWN);
    assert.equal(response.status, 404, `attempt ${i}`);
    await response.body?.cancel();
  }
  const refused = await status(t, UNKNOWN);
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get("content-type") ?? "", /^application\/json/);
  assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
  assert.equal(typeof (await refused.json()).detail, "string");
  // A known token is refused too now: a 200 would tell the prober what a 404 would have.
  assert.equal((await status(t, token)).status, 429);
  // The same allowance: joins and DELETE are refused as well.
  assert.equal((await postJson(t.app, "/api/sessions/join", { token })).status, 429);
  assert.equal((await remove(t, UNKNOWN)).status, 429);
  t.clock.advance(60_000);
  assert.equal((await status(t, token)).status, 200);
});

Deno.test("[probe] successful status reads never count", async () => {
  await using t = await withApp({ CHAT_JOIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  const { token } = await mintAndJoin(t);
  for (let i = 0; i < LIMIT * 4; i++) {
    const response = await status(t, token);
    assert.equal(response.status, 200, `read ${i}`);
    await response.body?.cancel();
  }
  assert.equal((await status(t, UNKNOWN)).status, 404);
});

Deno.test("[probe] DELETE with a wrong credential or an unknown token counts; 429 past it", async () => {
  await using t = await withApp({ CHAT_JOIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  const { token, participantId } = await mintAndJoin(t); // one join counted
  const answers: number[] = [];
  for (let i = 1; i < LIMIT; i++) {
    const response = i % 2
      ? await remove(t, token, { authorization: "Bearer wrong-credential" })
      : await remove(t, UNKNOWN, { authorization: "Bearer whatever" });
    answers.push(response.status);
    await response.body?.cancel();
  }
  assert.deepEqual(answers, [401, 404, 401, 404]);
  const refused = await remove(t, token, { authorization: `Bearer ${participantId}` });
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
  t.clock.advance(60_000);
  assert.equal((await remove(t, token, { authorization: `Bearer ${participantId}` })).status, 204);
});

Deno.test("[probe] addresses are counted apart (behind a trusted proxy)", async () => {
  await using t = await withApp({
    CHAT_JOIN_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    CHAT_TRUST_PROXY: "true",
  });
  for (let i = 0; i < LIMIT; i++) await status(t, UNKNOWN, { "x-forwarded-for": "192.0.2.1" });
  assert.equal((await status(t, UNKNOWN, { "x-forwarded-for": "192.0.2.1" })).status, 429);
  assert.equal((await status(t, UNKNOWN, { "x-forwarded-for": "192.0.2.2" })).status, 404);
  // One IPv6 /64 is one address.
  for (let i = 0; i < LIMIT; i++) {
    await status(t, UNKNOWN, { "x-forwarded-for": `2001:db8:1:2::${i + 1}` });
  }
  assert.equal(
    (await status(t, UNKNOWN, { "x-forwarded-for": "2001:db8:1:2:ffff::9" })).status,
    429,
  );
});

Deno.test("[probe] failed room-page loads count too", async () => {
  await using t = await withApp({ CHAT_JOIN_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  for (let i = 0; i < LIMIT; i++) {
    const response = await t.app.request(`/session/${UNKNOWN}`);
    assert.equal(response.status, 404);
    await response.body?.cancel();
  }
  const refused = await t.app.request(`/session/${UNKNOWN}`);
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
  await refused.body?.cancel();
});

Deno.test("[probe] presence is shown only with a seat's credential", async () => {
  await using t = await withApp();
  const { token, participantId } = await mintAndJoin(t);
  const open = await (await status(t, token)).json();
  assert.deepEqual(Object.keys(open.participants[0]).sort(), ["joined_at", "role"]);
  const seated = await (await status(t, token, { authorization: `Bearer ${participantId}` }))
    .json();
  assert.equal(seated.participants[0].connected, false);
  const wrong = await status(t, token, { authorization: "Bearer not-a-seat" });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get("www-authenticate"), "Bearer");
  await wrong.body?.cancel();
});
