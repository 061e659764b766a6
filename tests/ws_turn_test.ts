import assert from "node:assert/strict";
import { ManualClock } from "../server/clock.ts";
import { turnPassword } from "../server/turn_credentials.ts";
import { withServer } from "./helpers.ts";
import {
  authed,
  expectClose,
  type Frame,
  joinLive,
  mintLive,
  socketUrl,
  TestSocket,
} from "./ws_client.ts";
import { MINUTE } from "./fixtures.ts";

const SECRET = "the-turn-servers-shared-secret";
const TURN_ENV = {
  CHAT_TURN_URLS: "turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349",
  CHAT_TURN_SECRET: SECRET,
};
const MARGIN = 10 * MINUTE;

/** The one TURN server of a `turn` frame, checked against the secret; returns its expiry (ms). */
async function verified(frame: Frame | null, secrets: string[]): Promise<number> {
  assert.ok(frame, "a turn frame came before the status");
  assert.equal(frame.type, "turn");
  assert.equal(frame.iceServers.length, 1);
  const [server] = frame.iceServers;
  assert.deepEqual(server.urls, [
    "turn:turn.example.com:3478?transport=udp",
    "turns:turn.example.com:5349",
  ]);
  const match = /^(\d+):([A-Za-z0-9_-]+)$/.exec(server.username);
  assert.ok(match, server.username);
  assert.equal(server.credential, await turnPassword(SECRET, server.username));
  for (const secret of secrets) {
    assert.ok(!JSON.stringify(frame).includes(secret), "no seat credential or token in it");
  }
  return Number(match[1]) * 1000;
}

Deno.test("[ws] each seat gets TURN credentials that verify and outlive the deadline", async () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 6, 12, 0, 0));
  await using server = await withServer({ env: TURN_ENV, clock });
  const token = await mintLive(server.url);
  const hostId = (await joinLive(server.url, { token })).participant_id;
  const guestId = (await joinLive(server.url, { token })).participant_id;
  const host = await authed(server.url, token, hostId);
  await using _host = host.socket;
  const guest = await authed(server.url, token, guestId);
  await using _guest = guest.socket;
  const deadline = Date.parse(guest.status.session_expires_at);
  const secrets = [token, hostId, guestId];
  assert.equal(await verified(host.turn, secrets), deadline + MARGIN);
  assert.equal(await verified(guest.turn, secrets), deadline + MARGIN);
  assert.notEqual(host.turn!.iceServers[0].username, guest.turn!.iceServers[0].username);
});

Deno.test("[ws] a host seated before the session starts gets credentials renewed for its deadline", async () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 6, 12, 0, 0));
  await using server = await withServer({ env: TURN_ENV, clock });
  const token = await mintLive(server.url, { validity_period: "1_day", session_ttl_minutes: 30 });
  const hostId = (await joinLive(server.url, { token })).participant_id;
  const host = await authed(server.url, token, hostId);
  await using _ = host.socket;
  assert.equal(host.status.status, "issued");
  // Before activation: a whole session from now, plus the margin.
  assert.equal(await verified(host.turn, [hostId]), clock.now() + 30 * MINUTE + MARGIN);

  clock.advance(20 * MINUTE);
  await joinLive(server.url, { token });
  const renewed = await host.socket.next("renewed turn");
  const active = await host.socket.nextOfType("status", (f) => f.status === "active");
  const deadline = Date.parse(active.session_expires_at);
  assert.equal(deadline, clock.now() + 30 * MINUTE);
  assert.equal(await verified(renewed, [hostId]), deadline + MARGIN);
});

Deno.test("[ws] a socket that is not authenticated never gets TURN credentials", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ env: TURN_ENV, clock });
  const token = await mintLive(server.url);
  const hostId = (await joinLive(server.url, { token })).participant_id;
  await joinLive(server.url, { token });
  for (const first of [{ type: "auth", participant_id: hostId + "x" }, { type: "ping" }]) {
    const socket = await TestSocket.open(socketUrl(server.url, token));
    socket.send(first);
    await expectClose(socket, 4401);
    assert.deepEqual(socket.pending, [], JSON.stringify(first));
  }
  const silent = await TestSocket.open(socketUrl(server.url, token));
  clock.advance(10_000);
  await expectClose(silent, 4401);
  assert.deepEqual(silent.pending, []);
  // A credential of this session's seat on another session's socket: refused, nothing sent.
  const other = await mintLive(server.url);
  await joinLive(server.url, { token: other });
  const foreign = await TestSocket.open(socketUrl(server.url, other));
  foreign.send({ type: "auth", participant_id: hostId });
  await expectClose(foreign, 4401);
  assert.deepEqual(foreign.pending, []);
});

Deno.test("[ws] without CHAT_TURN_* no turn frame is sent", async () => {
  await using server = await withServer();
  const token = await mintLive(server.url);
  const hostId = (await joinLive(server.url, { token })).participant_id;
  const socket = await TestSocket.open(socketUrl(server.url, token));
  await using _ = socket;
  socket.send({ type: "auth", participant_id: hostId });
  assert.equal((await socket.next()).type, "status");
});
