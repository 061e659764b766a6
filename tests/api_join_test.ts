import assert from "node:assert/strict";
import {
  DAY,
  join as joinOk,
  mint,
  MINT_BODY,
  MINUTE,
  postJson,
  type TestApp,
  withApp,
} from "./fixtures.ts";

function join(t: TestApp, body: unknown, headers: Record<string, string> = {}) {
  return postJson(t.app, "/api/sessions/join", body, headers);
}

async function expectError(response: Response, status: number, detail?: string) {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(typeof body.detail, "string");
  if (detail !== undefined) assert.equal(body.detail, detail);
  return body;
}

Deno.test("[join] the first device is the host and the session waits", async () => {
  await using t = await withApp();
  const token = await mint(t, { ...MINT_BODY, message_char_limit: 700 });
  const host = await joinOk(t, { token });
  assert.deepEqual(Object.keys(host).sort(), [
    "message_char_limit",
    "participant_id",
    "role",
    "session_active",
    "session_expires_at",
    "session_started_at",
    "token",
  ]);
  assert.equal(host.token, token);
  assert.equal(host.role, "host");
  assert.equal(host.session_active, false);
  assert.equal(host.session_started_at, null);
  assert.equal(host.session_expires_at, null);
  assert.equal(host.message_char_limit, 700);
  assert.match(host.participant_id, /^[A-Za-z0-9_-]{22,}$/);
});

Deno.test("[join] the second device is the guest and starts the countdown from the clock", async () => {
  await using t = await withApp();
  const token = await mint(t, { validity_period: "1_day", session_ttl_minutes: 45 });
  const host = await joinOk(t, { token });
  t.clock.advance(5 * MINUTE);
  const guest = await joinOk(t, { token });
  assert.equal(guest.role, "guest");
  assert.equal(guest.session_active, true);
  assert.notEqual(guest.participant_id, host.participant_id);
  assert.equal(Date.parse(guest.session_started_at), t.clock.now());
  assert.equal(Date.parse(guest.session_expires_at), t.clock.now() + 45 * MINUTE);
  assert.match(guest.session_started_at, /Z$/);
  assert.match(guest.session_expires_at, /Z$/);
});

Deno.test("[join] a third device gets 409", async () => {
  await using t = await withApp();
  const token = await mint(t);
  await joinOk(t, { token });
  await joinOk(t, { token });
  await expectError(await join(t, { token }), 409);
  await expectError(await join(t, { token, client_identity: "someone-else" }), 409);
});

Deno.test("[join] rejoining with participant_id returns the same seat and times", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const host = await joinOk(t, { token });
  const guest = await joinOk(t, { token });
  t.clock.advance(MINUTE);
  const hostAgain = await joinOk(t, { token, participant_id: host.participant_id });
  assert.equal(hostAgain.role, "host");
  assert.equal(hostAgain.participant_id, host.participant_id);
  assert.equal(hostAgain.session_active, true);
  assert.equal(hostAgain.session_started_at, guest.session_started_at);
  assert.equal(hostAgain.session_expires_at, guest.session_expires_at);
  const guestAgain = await joinOk(t, { token, participant_id: guest.participant_id });
  assert.equal(guestAgain.role, "guest");
  assert.equal(guestAgain.participant_id, guest.participant_id);
  // Rejoins take no new seat and do not restart the countdown.
  assert.equal(guestAgain.session_started_at, guest.session_started_at);
});

Deno.test("[join] rejoining with the same client_identity returns that seat", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const host = await joinOk(t, { token, client_identity: "laptop-a" });
  const again = await joinOk(t, { token, client_identity: "laptop-a" });
  assert.equal(again.role, "host");
  assert.equal(again.session_active, false, "a rejoin by the host does not activate");
  // The seat's new credential works, and the session still has room for a guest.
  await joinOk(t, { token, participant_id: again.participant_id });
  const guest = await joinOk(t, { token, client_identity: "phone-b" });
  assert.equal(guest.role, "guest");
  const guestAgain = await joinOk(t, { token, client_identity: "phone-b" });
  assert.equal(guestAgain.role, "guest");
  assert.ok(host.participant_id);
});

Deno.test("[join] a client_identity holds a seat in its own session only", async () => {
  await using t = await withApp();
  const first = await mint(t);
  const second = await mint(t);
  await joinOk(t, { token: first, client_identity: "same-device" });
  const other = await joinOk(t, { token: second, client_identity: "same-device" });
  assert.equal(other.role, "host");
  assert.equal(other.session_active, false);
});

Deno.test("[join] no seat is reclaimed by address: two identity-less joins take two seats", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const a = await joinOk(t, { token });
  const b = await joinOk(t, { token });
  assert.deepEqual([a.role, b.role], ["host", "guest"]);
  await expectError(await join(t, { token }), 409);
});

Deno.test("[join] unknown token is 404 with its msg-app header", async () => {
  await using t = await withApp();
  for (const token of ["nope", "A".repeat(43), "not a token!", "é"]) {
    const response = await join(t, { token });
    await expectError(response, 404);
    assert.equal(response.headers.get("msg-app"), "Token not found in database.", token);
  }
});

Deno.test("[join] unknown participant_id is 404 with its msg-app header", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const otherToken = await mint(t);
  await joinOk(t, { token });
  const elsewhere = await joinOk(t, { token: otherToken });
  for (const participantId of ["made-up", elsewhere.participant_id]) {
    const response = await join(t, { token, participant_id: participantId });
    await expectError(response, 404);
    assert.equal(
      response.headers.get("msg-app"),
      "Participant record not found for this session.",
    );
  }
});

Deno.test("[join] 410 Token expired. when validity passes before activation", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const host = await joinOk(t, { token });
  t.clock.advance(DAY);
  await expectError(await join(t, { token }), 410, "Token expired.");
  await expectError(
    await join(t, { token, participant_id: host.participant_id }),
    410,
    "Token expired.",
  );
  const unused = await mint(t);
  t.clock.advance(DAY);
  await expectError(await join(t, { token: unused }), 410, "Token expired.");
});

Deno.test("[join] validity passing after activation does not end the session", async () => {
  await using t = await withApp();
  const token = await mint(t, { validity_period: "1_day", session_ttl_minutes: 120 });
  const host = await joinOk(t, { token });
  t.clock.advance(DAY - MINUTE);
  await joinOk(t, { token });
  t.clock.advance(30 * MINUTE);
  const again = await joinOk(t, { token, participant_id: host.participant_id });
  assert.equal(again.session_active, true);
});

Deno.test("[join] 410 Session already closed. after the countdown ends", async () => {
  await using t = await withApp();
  const token = await mint(t, { validity_period: "1_day", session_ttl_minutes: 10 });
  const host = await joinOk(t, { token });
  await joinOk(t, { token });
  t.clock.advance(10 * MINUTE - 1);
  await joinOk(t, { token, participant_id: host.participant_id });
  t.clock.advance(1);
  await expectError(
    await join(t, { token, participant_id: host.participant_id }),
    410,
    "Session already closed.",
  );
  await expectError(await join(t, { token }), 410, "Session already closed.");
});

Deno.test("[join] 410 Session already closed. after DELETE", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const host = await joinOk(t, { token });
  const guest = await joinOk(t, { token });
  const ended = await t.app.request(`/api/sessions/${token}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${guest.participant_id}` },
  });
  assert.equal(ended.status, 204);
  await expectError(
    await join(t, { token, participant_id: host.participant_id }),
    410,
    "Session already closed.",
  );
});

Deno.test("[join] 422 for invalid bodies", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const bodies: unknown[] = [
    {},
    { token: "" },
    { token: 5 },
    { token: null },
    { token: "x".repeat(129) },
    { token, participant_id: "" },
    { token, participant_id: 7 },
    { token, client_identity: "x".repeat(129) },
    { token, client_identity: "lone \udc00" },
    { token, extra: true },
    [token],
    null,
    "token",
  ];
  for (const body of bodies) {
    await expectError(await join(t, JSON.stringify(body)), 422);
  }
  await expectError(await join(t, "{not json"), 422);
  const wrongType = await t.app.request("/api/sessions/join", {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({ token }),
  });
  await expectError(wrongType, 422);
  await expectError(await join(t, { token, client_identity: "x".repeat(20_000) }), 413);
});

Deno.test("[join] an emoji client_identity works as a seat key", async () => {
  await using t = await withApp();
  const token = await mint(t);
  await joinOk(t, { token, client_identity: "🦊📱" });
  await joinOk(t, { token, client_identity: "🦊💻" });
  const again = await joinOk(t, { token, client_identity: "🦊📱" });
  assert.equal(again.role, "host");
});

Deno.test("[join] 429 after CHAT_JOIN_RATE_LIMIT_PER_MINUTE attempts from one address", async () => {
  await using t = await withApp({ CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "5" });
  const token = await mint(t);
  // Failed guesses count as much as successful joins: the limit is against token guessing.
  await joinOk(t, { token });
  for (let i = 0; i < 3; i++) await expectError(await join(t, { token: `guess${i}` }), 404);
  await expectError(await join(t, "not json"), 422);
  const refused = await join(t, { token });
  await expectError(refused, 429);
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert.equal(retryAfter, 60);
  t.clock.advance(retryAfter * 1000);
  await joinOk(t, { token });
});

Deno.test("[join] the join limit is per address, and X-Forwarded-For counts only behind a proxy", async () => {
  {
    await using t = await withApp({ CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "2" });
    for (let i = 0; i < 2; i++) {
      await expectError(
        await join(t, { token: "guess" }, { "x-forwarded-for": `10.0.0.${i}` }),
        404,
      );
    }
    await expectError(await join(t, { token: "guess" }, { "x-forwarded-for": "10.0.0.9" }), 429);
  }
  {
    await using t = await withApp({
      CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "2",
      CHAT_TRUST_PROXY: "yes",
    });
    const from = (address: string) => ({ "x-forwarded-for": `6.6.6.6, ${address}` });
    await expectError(await join(t, { token: "guess" }, from("10.0.0.1")), 404);
    await expectError(await join(t, { token: "guess" }, from("10.0.0.1")), 404);
    await expectError(await join(t, { token: "guess" }, from("10.0.0.1")), 429);
    await expectError(await join(t, { token: "guess" }, from("10.0.0.2")), 404);
  }
});
