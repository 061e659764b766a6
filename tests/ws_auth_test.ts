import assert from "node:assert/strict";
import { ManualClock } from "../server/clock.ts";
import { withServer } from "./helpers.ts";
import {
  activeSession,
  authed,
  expectClose,
  joinLive,
  mintLive,
  socketUrl,
  TestSocket,
} from "./ws_client.ts";

import { DAY } from "./fixtures.ts";

Deno.test("[ws] a good auth frame gets the status with you and connected", async () => {
  await using server = await withServer();
  const { token, host } = await activeSession(server.url);
  const { socket, status } = await authed(server.url, token, host);
  await using _ = socket;
  assert.equal(status.you, "host");
  assert.deepEqual(status.connected, ["host"]);
  assert.equal(status.status, "active");
  assert.equal(status.token, token);
  assert.match(status.session_expires_at, /Z$/);
  assert.ok(Array.isArray(status.participants));
  const text = JSON.stringify(status);
  assert.ok(!text.includes(host), "the status frame does not echo the credential");
});

Deno.test("[ws] a wrong or missing credential closes with 4401", async () => {
  await using server = await withServer();
  const { token, host } = await activeSession(server.url);
  const firstFrames: unknown[] = [
    { type: "auth", participant_id: "not-the-credential" },
    { type: "auth", participant_id: host + "x" },
    { type: "auth" },
    { type: "auth", participant_id: "" },
    { type: "auth", participant_id: 42 },
    { type: "ping" },
    { type: "relay", payload: "x" },
    "not json",
    [],
  ];
  for (const frame of firstFrames) {
    const socket = await TestSocket.open(socketUrl(server.url, token));
    socket.send(frame);
    await expectClose(socket, 4401);
    assert.deepEqual(socket.pending, [], `nothing is sent before auth: ${JSON.stringify(frame)}`);
  }
});

Deno.test("[ws] a credential of another session is refused with 4401", async () => {
  await using server = await withServer();
  const first = await activeSession(server.url);
  const second = await activeSession(server.url);
  const socket = await TestSocket.open(socketUrl(server.url, first.token));
  socket.send({ type: "auth", participant_id: second.host });
  await expectClose(socket, 4401);
});

Deno.test("[ws] no auth within 10 s closes with 4401 (clock-driven)", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  const { token, host } = await activeSession(server.url);
  const silent = await TestSocket.open(socketUrl(server.url, token));
  const late = await TestSocket.open(socketUrl(server.url, token));
  clock.advance(9_999);
  // Still within the 10 s: auth works.
  late.send({ type: "auth", participant_id: host });
  assert.equal((await late.next()).type, "status");
  clock.advance(1);
  await expectClose(silent, 4401);
  assert.equal(late.isClosed, false);
  await late.close();
});

Deno.test("[ws] an unknown token closes with 4404", async () => {
  await using server = await withServer();
  const { host } = await activeSession(server.url);
  for (const token of ["unknown-token", "A".repeat(43), "bad%20token"]) {
    const socket = await TestSocket.open(socketUrl(server.url, token));
    socket.send({ type: "auth", participant_id: host });
    await expectClose(socket, 4404);
  }
});

Deno.test("[ws] an ended session closes with 4410", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const ended = await fetch(`${server.url}/api/sessions/${token}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${guest}` },
  });
  assert.equal(ended.status, 204);
  const socket = await TestSocket.open(socketUrl(server.url, token));
  socket.send({ type: "auth", participant_id: host });
  await expectClose(socket, 4410);
});

Deno.test("[ws] a session past its countdown closes with 4410", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  const { token, host } = await activeSession(server.url, {
    validity_period: "1_day",
    session_ttl_minutes: 1,
  });
  clock.advance(60_000);
  const socket = await TestSocket.open(socketUrl(server.url, token));
  socket.send({ type: "auth", participant_id: host });
  await expectClose(socket, 4410);
});

Deno.test("[ws] a token whose validity passed before activation closes with 4410", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock });
  const token = await mintLive(server.url);
  const host = (await joinLive(server.url, { token })).participant_id;
  clock.advance(DAY);
  const socket = await TestSocket.open(socketUrl(server.url, token));
  socket.send({ type: "auth", participant_id: host });
  await expectClose(socket, 4410);
});

Deno.test("[ws] status goes to both seats on join, activation, leave and close", async () => {
  await using server = await withServer();
  const token = await mintLive(server.url);
  const hostId = (await joinLive(server.url, { token })).participant_id;

  // Join: the host alone, waiting.
  const { socket: host, status: first } = await authed(server.url, token, hostId);
  assert.deepEqual([first.status, first.you, first.connected], ["issued", "host", ["host"]]);

  // Activation: the guest's HTTP join starts the countdown; the host hears of it at once.
  const guestId = (await joinLive(server.url, { token })).participant_id;
  const activated = await host.next("status on activation");
  assert.equal(activated.type, "status");
  assert.equal(activated.status, "active");
  assert.equal(activated.you, "host");
  assert.deepEqual(activated.connected, ["host"]);
  assert.ok(activated.session_expires_at);

  // The guest's socket joins: both are told, each with its own role.
  const { socket: guest, status: guestFirst } = await authed(server.url, token, guestId);
  assert.equal(guestFirst.you, "guest");
  assert.deepEqual([...guestFirst.connected].sort(), ["guest", "host"]);
  const hostSees = await host.next("status on guest join");
  assert.equal(hostSees.type, "status");
  assert.equal(hostSees.you, "host");
  assert.deepEqual([...hostSees.connected].sort(), ["guest", "host"]);
  assert.deepEqual(
    hostSees.participants.map((p: { role: string; connected: boolean }) => [p.role, p.connected]),
    [["host", true], ["guest", true]],
  );

  // Leave: the guest goes away; the host is told only the host remains.
  await guest.close();
  const left = await host.next("status on leave");
  assert.equal(left.type, "status");
  assert.deepEqual(left.connected, ["host"]);

  // Back again, then close: both get the closed status before the session_closed frame.
  const { socket: guest2 } = await authed(server.url, token, guestId);
  await host.nextOfType("status", (f) => f.connected.length === 2);
  const ended = await fetch(`${server.url}/api/sessions/${token}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${hostId}` },
  });
  assert.equal(ended.status, 204);
  for (const socket of [host, guest2]) {
    const closedStatus = await socket.next("status on close");
    assert.equal(closedStatus.type, "status");
    assert.equal(closedStatus.status, "closed");
    assert.deepEqual(await socket.next("session_closed"), {
      type: "session_closed",
      reason: "ended",
    });
    await expectClose(socket, 1000);
  }
});

Deno.test("[ws] a second socket for the same seat replaces the first with 4409", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket: first } = await authed(server.url, token, host);
  const { socket: other } = await authed(server.url, token, guest);
  await first.nextOfType("status", (f) => f.connected.length === 2);
  const { socket: second, status } = await authed(server.url, token, host);
  assert.equal(status.you, "host");
  await expectClose(first, 4409);

  // The replacement, not the old socket, receives what the other seat sends.
  other.drain();
  other.send({ type: "relay", payload: "to-the-new-socket" });
  const relayed = await second.nextOfType("relay");
  assert.equal(relayed.payload, "to-the-new-socket");
  assert.equal(relayed.from, "guest");
  await second.close();
  await other.close();
});

Deno.test("[ws] the HTTP status reports which seats are connected", async () => {
  await using server = await withServer();
  const { token, host } = await activeSession(server.url);
  const { socket } = await authed(server.url, token, host);
  // Presence is shown to seat holders only.
  const status = await (await fetch(`${server.url}/api/sessions/${token}/status`, {
    headers: { authorization: `Bearer ${host}` },
  })).json();
  assert.deepEqual(
    status.participants.map((p: { role: string; connected: boolean }) => [p.role, p.connected]),
    [["host", true], ["guest", false]],
  );
  await socket.close();
});

Deno.test("[ws] the socket route refuses plain HTTP", async () => {
  await using server = await withServer();
  const response = await fetch(`${server.url}/ws/sessions/abc`);
  assert.equal(response.status, 426);
  await response.body?.cancel();
});
