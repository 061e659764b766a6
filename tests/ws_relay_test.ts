import assert from "node:assert/strict";
import { connectedPair, withServer } from "./fixtures.ts";
import {
  activeSession,
  authed,
  type Frame,
  joinLive,
  mintLive,
  type TestSocket,
} from "./ws_client.ts";

/** Proves nothing else is queued for `socket`: a ping's pong is the very next frame. */
async function assertNothingElse(socket: TestSocket) {
  socket.send({ type: "ping" });
  const frame = await socket.next("pong");
  assert.equal(frame.type, "pong", `unexpected frame ${JSON.stringify(frame)}`);
}

Deno.test("[ws] signal frames go to the other seat only, with from", async () => {
  await using server = await withServer();
  const { host: hostSocket, guest: guestSocket } = await connectedPair(server.url);
  const offer = { sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1", type: "offer", nested: [1, { a: null }] };
  hostSocket.send({ type: "signal", signalType: "offer", payload: offer });
  assert.deepEqual(await guestSocket.next(), {
    type: "signal",
    signalType: "offer",
    payload: offer,
    from: "host",
  });
  guestSocket.send({ type: "signal", signalType: "answer", payload: "opaque" });
  guestSocket.send({ type: "signal", signalType: "iceCandidate", payload: { candidate: "c" } });
  guestSocket.send({ type: "signal", signalType: "custom-kind", payload: 0 });
  assert.deepEqual(
    [await hostSocket.next(), await hostSocket.next(), await hostSocket.next()],
    [
      { type: "signal", signalType: "answer", payload: "opaque", from: "guest" },
      { type: "signal", signalType: "iceCandidate", payload: { candidate: "c" }, from: "guest" },
      { type: "signal", signalType: "custom-kind", payload: 0, from: "guest" },
    ],
  );
  // Nothing came back to the senders.
  await assertNothingElse(hostSocket);
  await assertNothingElse(guestSocket);
  await hostSocket.close();
  await guestSocket.close();
});

Deno.test("[ws] relay frames go to the other seat only while active", async () => {
  await using server = await withServer();
  const { host: hostSocket, guest: guestSocket } = await connectedPair(server.url);
  const payload = btoa("ciphertext bundle ".repeat(100));
  hostSocket.send({ type: "relay", payload });
  assert.deepEqual(await guestSocket.next(), { type: "relay", payload, from: "host" });
  guestSocket.send({ type: "relay", payload: "reply" });
  assert.deepEqual(await hostSocket.next(), { type: "relay", payload: "reply", from: "guest" });
  await assertNothingElse(hostSocket);
  await assertNothingElse(guestSocket);
  await hostSocket.close();
  await guestSocket.close();
});

Deno.test("[ws] relay is refused before the session is active", async () => {
  await using server = await withServer();
  const token = await mintLive(server.url);
  const hostId = (await joinLive(server.url, { token })).participant_id;
  const { socket: host } = await authed(server.url, token, hostId);
  host.send({ type: "relay", payload: "too early" });
  const error = await host.next();
  assert.equal(error.type, "error");
  assert.notEqual(error.code, "peer_offline");
  assert.equal(typeof error.message, "string");
  assert.equal(host.isClosed, false);
  await host.close();
});

Deno.test("[ws] peer_offline when the other seat is not connected, and nothing is stored", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket: hostSocket } = await authed(server.url, token, host);
  hostSocket.send({ type: "relay", payload: "lost-1" });
  assert.deepEqual(
    [(await hostSocket.next()).code],
    ["peer_offline"],
  );
  hostSocket.send({ type: "signal", signalType: "offer", payload: "lost-2" });
  const signalError = await hostSocket.next();
  assert.equal(signalError.type, "error");
  assert.equal(signalError.code, "peer_offline");

  // The guest arrives later and gets none of what was sent while it was away.
  const { socket: guestSocket } = await authed(server.url, token, guest);
  await hostSocket.nextOfType("status", (f) => f.connected.length === 2);
  await assertNothingElse(guestSocket);
  await hostSocket.close();
  await guestSocket.close();
});

Deno.test("[ws] ping gets a pong with the server time", async () => {
  await using server = await withServer();
  const { token, host } = await activeSession(server.url);
  const { socket } = await authed(server.url, token, host);
  socket.send({ type: "ping" });
  const pong = await socket.next();
  assert.equal(pong.type, "pong");
  assert.match(pong.server_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  await socket.close();
});

Deno.test("[ws] 50 concurrent sessions: every frame reaches its own peer and no one else", async () => {
  await using server = await withServer({
    env: {
      CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000",
      CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "1000",
      // 100 sockets from one address, opened at once.
      CHAT_CONNECTIONS_PER_ADDRESS: "1000",
      CHAT_PENDING_SOCKETS_PER_ADDRESS: "1000",
    },
  });
  const SESSIONS = 50;
  const MESSAGES = 5;
  const pairs = await Promise.all(
    Array.from({ length: SESSIONS }, () => connectedPair(server.url)),
  );
  // Each socket sends unique payloads, interleaved across all sessions.
  for (let m = 0; m < MESSAGES; m++) {
    pairs.forEach((p, i) => {
      p.host.send({ type: "relay", payload: `s${i}-host-${m}` });
      p.guest.send({ type: "signal", signalType: "iceCandidate", payload: { s: i, m } });
    });
  }
  await Promise.all(pairs.map(async (p, i) => {
    const toGuest: Frame[] = [];
    const toHost: Frame[] = [];
    for (let m = 0; m < MESSAGES; m++) toGuest.push(await p.guest.next(`guest ${i}`));
    for (let m = 0; m < MESSAGES; m++) toHost.push(await p.host.next(`host ${i}`));
    assert.deepEqual(
      toGuest,
      Array.from({ length: MESSAGES }, (_, m) => ({
        type: "relay",
        payload: `s${i}-host-${m}`,
        from: "host",
      })),
    );
    assert.deepEqual(
      toHost,
      Array.from({ length: MESSAGES }, (_, m) => ({
        type: "signal",
        signalType: "iceCandidate",
        payload: { s: i, m },
        from: "guest",
      })),
    );
  }));
  // No stray frames anywhere: each socket's next frame is the answer to its own ping.
  await Promise.all(pairs.flatMap((p) => [p.host, p.guest]).map(assertNothingElse));
  await Promise.all(pairs.flatMap((p) => [p.host.close(), p.guest.close()]));
});
