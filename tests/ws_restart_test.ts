import assert from "node:assert/strict";
import { ManualClock } from "../server/clock.ts";
import { MINUTE, withServer } from "./fixtures.ts";
import { activeSession, authed, expectClose, socketUrl, TestSocket } from "./ws_client.ts";

Deno.test("[ws] a restart on the same database keeps the session, its deadline and its seats", async () => {
  const dir = await Deno.makeTempDir();
  const databasePath = `${dir}/chat.db`;
  const clock = new ManualClock(Date.now());
  try {
    await using first = await withServer({ clock, databasePath });
    const seats = await activeSession(first.url, {
      validity_period: "1_day",
      session_ttl_minutes: 30,
    });
    const before = await (await fetch(`${first.url}/api/sessions/${seats.token}/status`)).json();
    const { socket: host } = await authed(first.url, seats.token, seats.host);
    const { socket: guest } = await authed(first.url, seats.token, seats.guest);
    await first.shutdown();
    await expectClose(host, 1001);
    await expectClose(guest, 1001);

    clock.advance(10 * MINUTE);
    await using second = await withServer({ clock, databasePath });
    const after = await (await fetch(`${second.url}/api/sessions/${seats.token}/status`)).json();
    assert.equal(after.status, "active");
    assert.equal(after.session_started_at, before.session_started_at);
    assert.equal(after.session_expires_at, before.session_expires_at);
    assert.equal(after.remaining_seconds, 20 * 60);

    // The same credentials re-authenticate and the seats resume where they were.
    const { socket: host2, status } = await authed(second.url, seats.token, seats.host);
    assert.equal(status.you, "host");
    assert.equal(status.session_expires_at, before.session_expires_at);
    const { socket: guest2 } = await authed(second.url, seats.token, seats.guest);
    await host2.nextOfType("status", (f) => f.connected.length === 2);
    host2.send({ type: "relay", payload: "after restart" });
    assert.deepEqual(await guest2.next(), {
      type: "relay",
      payload: "after restart",
      from: "host",
    });

    // A third device still cannot take a seat.
    const third = await fetch(`${second.url}/api/sessions/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: seats.token }),
    });
    assert.equal(third.status, 409);
    await third.body?.cancel();

    // The original deadline, not a fresh one, ends it.
    clock.advance(20 * MINUTE);
    for (const socket of [host2, guest2]) {
      await socket.nextOfType("session_closed", (f) => f.reason === "expired");
      await expectClose(socket, 1000);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[ws] a deadline that passed while the server was down is recorded at start", async () => {
  const dir = await Deno.makeTempDir();
  const databasePath = `${dir}/chat.db`;
  const clock = new ManualClock(Date.now());
  try {
    await using first = await withServer({ clock, databasePath });
    const seats = await activeSession(first.url, {
      validity_period: "1_day",
      session_ttl_minutes: 5,
    });
    await first.shutdown();
    clock.advance(6 * MINUTE);
    await using second = await withServer({ clock, databasePath });
    const status = await (await fetch(`${second.url}/api/sessions/${seats.token}/status`)).json();
    assert.equal(status.status, "closed");
    assert.equal(status.end_reason, "expired");
    const socket = await TestSocket.open(socketUrl(second.url, seats.token));
    socket.send({ type: "auth", participant_id: seats.host });
    await expectClose(socket, 4410);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
