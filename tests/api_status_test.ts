import assert from "node:assert/strict";
import { DAY, join, mint, MINUTE, type TestApp, withApp } from "./fixtures.ts";

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function status(t: TestApp, token: string, participantId?: string) {
  const headers: Record<string, string> = participantId
    ? { authorization: `Bearer ${participantId}` }
    : {};
  const response = await t.app.request(`/api/sessions/${token}/status`, { headers });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const text = await response.text();
  return { text, body: JSON.parse(text) };
}

function end(t: TestApp, token: string, authorization?: string) {
  return t.app.request(`/api/sessions/${token}`, {
    method: "DELETE",
    headers: authorization === undefined ? {} : { authorization },
  });
}

Deno.test("[status] an issued session reports every field", async () => {
  await using t = await withApp();
  const token = await mint(t, {
    validity_period: "1_week",
    session_ttl_minutes: 20,
    message_char_limit: 300,
  });
  const { body } = await status(t, token);
  for (
    const field of [
      "token",
      "status",
      "validity_expires_at",
      "session_started_at",
      "session_expires_at",
      "message_char_limit",
      "participants",
      "remaining_seconds",
      "server_time",
    ]
  ) {
    assert.ok(field in body, `missing ${field}`);
  }
  assert.equal(body.token, token);
  assert.equal(body.status, "issued");
  assert.equal(Date.parse(body.validity_expires_at), t.clock.now() + 7 * DAY);
  assert.match(body.validity_expires_at, ISO_Z);
  assert.equal(body.session_started_at, null);
  assert.equal(body.session_expires_at, null);
  assert.equal(body.message_char_limit, 300);
  assert.deepEqual(body.participants, []);
  assert.equal(body.remaining_seconds, null);
  assert.equal(body.server_time, new Date(t.clock.now()).toISOString());
});

Deno.test("[status] host waiting is still issued; the guest makes it active", async () => {
  await using t = await withApp();
  const token = await mint(t, { validity_period: "1_day", session_ttl_minutes: 20 });
  const host = await join(t, { token });
  const waiting = (await status(t, token, host.participant_id)).body;
  assert.equal(waiting.status, "issued");
  assert.equal(waiting.participants.length, 1);
  assert.deepEqual(waiting.participants[0], {
    role: "host",
    joined_at: new Date(t.clock.now()).toISOString(),
    connected: false,
  });
  assert.deepEqual((await status(t, token)).body.participants[0], {
    role: "host",
    joined_at: new Date(t.clock.now()).toISOString(),
  });
  t.clock.advance(MINUTE);
  await join(t, { token });
  t.clock.advance(5 * MINUTE + 500);
  const active = (await status(t, token)).body;
  assert.equal(active.status, "active");
  assert.deepEqual(active.participants.map((p: { role: string }) => p.role), ["host", "guest"]);
  assert.equal(Date.parse(active.session_started_at), t.clock.now() - 5 * MINUTE - 500);
  assert.equal(
    Date.parse(active.session_expires_at),
    Date.parse(active.session_started_at) + 20 * MINUTE,
  );
  // 14 minutes 59.5 seconds left: whole seconds, rounded up.
  assert.equal(active.remaining_seconds, 15 * 60);
  for (const p of active.participants) assert.match(p.joined_at, ISO_Z);
});

Deno.test("[status] closed once the countdown reaches zero", async () => {
  await using t = await withApp();
  const token = await mint(t, { validity_period: "1_day", session_ttl_minutes: 1 });
  await join(t, { token });
  await join(t, { token });
  t.clock.advance(MINUTE - 1);
  assert.equal((await status(t, token)).body.status, "active");
  assert.equal((await status(t, token)).body.remaining_seconds, 1);
  t.clock.advance(1);
  const closed = (await status(t, token)).body;
  assert.equal(closed.status, "closed");
  assert.equal(closed.remaining_seconds, 0);
});

Deno.test("[status] expired when validity passes before anyone activated it", async () => {
  await using t = await withApp();
  const unused = await mint(t);
  const halfUsed = await mint(t);
  await join(t, { token: halfUsed });
  t.clock.advance(DAY - 1);
  assert.equal((await status(t, unused)).body.status, "issued");
  t.clock.advance(1);
  assert.equal((await status(t, unused)).body.status, "expired");
  assert.equal((await status(t, halfUsed)).body.status, "expired");
});

Deno.test("[status] no participant ids, identities or credentials are published", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const host = await join(t, { token, client_identity: "host-identity-1234" });
  const guest = await join(t, { token, client_identity: "guest-identity-5678" });
  const { text, body } = await status(t, token);
  for (
    const secret of [host.participant_id, guest.participant_id, "host-identity", "guest-identity"]
  ) {
    assert.ok(!text.includes(secret), `status leaks ${secret}`);
  }
  for (const participant of body.participants) {
    assert.deepEqual(Object.keys(participant).sort(), ["joined_at", "role"]);
  }
  assert.ok(!/participant_id|credential|identity|hash/.test(text), text);
  const seated = await status(t, token, guest.participant_id);
  assert.ok(!seated.text.includes(guest.participant_id));
  for (const participant of seated.body.participants) {
    assert.deepEqual(Object.keys(participant).sort(), ["connected", "joined_at", "role"]);
  }
});

Deno.test("[status] 404 for an unknown token, with the msg-app header", async () => {
  await using t = await withApp();
  for (const token of ["unknown", "B".repeat(43), "%20", "x".repeat(300)]) {
    const response = await t.app.request(`/api/sessions/${token}/status`);
    assert.equal(response.status, 404, token);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(typeof (await response.json()).detail, "string");
    assert.equal(response.headers.get("msg-app"), "Token not found in database.");
  }
});

Deno.test("[status] API responses are not cached", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const response = await t.app.request(`/api/sessions/${token}/status`);
  assert.equal(response.headers.get("cache-control"), "no-store");
  await response.body?.cancel();
});

Deno.test("[end] DELETE with the host's or guest's Bearer credential ends the session with 204", async () => {
  for (const who of ["host", "guest"] as const) {
    await using t = await withApp();
    const token = await mint(t);
    const seats = { host: await join(t, { token }), guest: await join(t, { token }) };
    t.clock.advance(MINUTE);
    const response = await end(t, token, `Bearer ${seats[who].participant_id}`);
    assert.equal(response.status, 204, who);
    assert.equal(await response.text(), "");
    const after = (await status(t, token)).body;
    assert.equal(after.status, "closed");
    assert.equal(after.remaining_seconds, 0);
  }
});

Deno.test("[end] a waiting host may end an issued session", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const host = await join(t, { token });
  assert.equal((await end(t, token, `Bearer ${host.participant_id}`)).status, 204);
  assert.equal((await status(t, token)).body.status, "closed");
});

Deno.test("[end] DELETE without a valid seat credential is 401 and changes nothing", async () => {
  await using t = await withApp();
  const token = await mint(t);
  const host = await join(t, { token });
  await join(t, { token });
  const otherToken = await mint(t);
  const stranger = await join(t, { token: otherToken });
  const attempts = [
    undefined,
    "",
    "Bearer",
    "Bearer ",
    "Bearer wrong-credential",
    `Bearer ${stranger.participant_id}`,
    `Basic ${btoa(`host:${host.participant_id}`)}`,
    host.participant_id,
    `Bearer ${host.participant_id}x`,
    `Bearer ${token}`,
  ];
  for (const authorization of attempts) {
    const response = await end(t, token, authorization);
    assert.equal(response.status, 401, String(authorization));
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(typeof (await response.json()).detail, "string");
  }
  assert.equal((await status(t, token)).body.status, "active");
  assert.equal((await status(t, otherToken)).body.status, "issued");
});

Deno.test("[end] DELETE of an unknown token is 404; of an ended session 410", async () => {
  await using t = await withApp();
  const unknown = await end(t, "unknown-token", "Bearer whatever");
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  const token = await mint(t);
  const host = await join(t, { token });
  assert.equal((await end(t, token, `Bearer ${host.participant_id}`)).status, 204);
  const again = await end(t, token, `Bearer ${host.participant_id}`);
  assert.equal(again.status, 410);
  assert.equal((await again.json()).detail, "Session already closed.");
});
