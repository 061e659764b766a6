import assert from "node:assert/strict";
import { ManualClock } from "../server/clock.ts";
import { connectedPair, MINUTE, withServer } from "./fixtures.ts";
import { activeSession, authed, expectClose, type TestSocket } from "./ws_client.ts";

async function expectClosedWith(socket: TestSocket, reason: string) {
  const status = await socket.next("final status");
  assert.equal(status.type, "status");
  assert.equal(status.status, "closed");
  assert.deepEqual(await socket.next("session_closed"), { type: "session_closed", reason });
  await expectClose(socket, 1000);
}

Deno.test("[ws] at the deadline both seats get session_closed expired and close 1000", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  const { token, host, guest, hostId } = await connectedPair(server.url, 1);

  clock.advance(MINUTE - 1);
  // A millisecond before the end the session still relays.
  host.send({ type: "relay", payload: "last words" });
  assert.equal((await guest.next()).payload, "last words");

  // No traffic needed: the deadline alone closes both.
  clock.advance(1);
  await expectClosedWith(host, "expired");
  await expectClosedWith(guest, "expired");

  // Presence is shown to seat holders only.
  const status = await (await fetch(`${server.url}/api/sessions/${token}/status`, {
    headers: { authorization: `Bearer ${hostId}` },
  })).json();
  assert.equal(status.status, "closed");
  assert.equal(status.remaining_seconds, 0);
  assert.deepEqual(
    status.participants.map((p: { connected: boolean }) => p.connected),
    [false, false],
  );
});

Deno.test("[ws] a seat connected alone is also closed at the deadline", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  const { token, host } = await activeSession(server.url, {
    validity_period: "1_day",
    session_ttl_minutes: 5,
  });
  const { socket } = await authed(server.url, token, host);
  clock.advance(5 * MINUTE);
  await expectClosedWith(socket, "expired");
});

Deno.test("[ws] the deadline is kept when seats come and go", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  const { token, host, guest, hostId } = await connectedPair(server.url, 10);
  await host.close();
  await guest.nextOfType("status", (f) => f.connected.length === 1);
  await guest.close();
  clock.advance(4 * MINUTE);
  const { socket: back } = await authed(server.url, token, hostId);
  clock.advance(6 * MINUTE);
  await expectClosedWith(back, "expired");
});

Deno.test("[ws] ending the session through the API sends reason ended to both", async () => {
  await using server = await withServer();
  const { token, host, guest, hostId } = await connectedPair(server.url, 30);
  const response = await fetch(`${server.url}/api/sessions/${token}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${hostId}` },
  });
  assert.equal(response.status, 204);
  await expectClosedWith(host, "ended");
  await expectClosedWith(guest, "ended");
  const status = await (await fetch(`${server.url}/api/sessions/${token}/status`)).json();
  assert.equal(status.status, "closed");
});

Deno.test("[ws] other sessions are untouched when one expires", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  const short = await connectedPair(server.url, 1);
  const long = await connectedPair(server.url, 60);
  clock.advance(MINUTE);
  await expectClosedWith(short.host, "expired");
  await expectClosedWith(short.guest, "expired");
  long.host.send({ type: "relay", payload: "still on" });
  assert.deepEqual(await long.guest.next(), { type: "relay", payload: "still on", from: "host" });
  await long.host.close();
  await long.guest.close();
});

Deno.test("[ws] shutdown closes every socket with 1001", async () => {
  await using server = await withServer();
  const first = await connectedPair(server.url, 30);
  const second = await connectedPair(server.url, 30);
  await server.shutdown();
  for (const socket of [first.host, first.guest, second.host, second.guest]) {
    await expectClose(socket, 1001);
  }
});
