import assert from "node:assert/strict";
import { withServer } from "./helpers.ts";
import WebSocketClient from "ws";
import { activeSession, authed, expectClose, socketUrl } from "./ws_client.ts";

const BAD_FRAMES: [string, string | Uint8Array][] = [
  ["not JSON", "hello"],
  ["truncated JSON", '{"type":"relay"'],
  ["an array", "[1,2]"],
  ["a string", '"relay"'],
  ["a number", "7"],
  ["null", "null"],
  ["no type", '{"payload":"x"}'],
  ["an unknown type", '{"type":"shout","payload":"x"}'],
  ["a non-string type", '{"type":["relay"]}'],
  ["signal without signalType", '{"type":"signal","payload":"x"}'],
  ["signal without payload", '{"type":"signal","signalType":"offer"}'],
  ["relay without payload", '{"type":"relay"}'],
  ["relay with an empty payload", '{"type":"relay","payload":""}'],
  ["relay with an object payload", '{"type":"relay","payload":{"a":1}}'],
  ["a second auth", '{"type":"auth","participant_id":"whatever"}'],
];

Deno.test("[ws] bad frames get an error frame and the socket stays open", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket } = await authed(server.url, token, host);
  const { socket: peer } = await authed(server.url, token, guest);
  await socket.nextOfType("status", (f) => f.connected.length === 2);
  for (const [name, frame] of BAD_FRAMES) {
    socket.send(frame);
    const error = await socket.next(name);
    assert.equal(error.type, "error", `${name}: ${JSON.stringify(error)}`);
    assert.equal(typeof error.code, "string", name);
    assert.ok(error.code.length > 0, name);
    assert.equal(typeof error.message, "string", name);
    assert.equal(socket.isClosed, false, name);
  }
  // Still a working seat, and the peer was never bothered by any of it.
  socket.send({ type: "relay", payload: "still-here" });
  assert.deepEqual(await peer.next(), { type: "relay", payload: "still-here", from: "host" });
  await socket.close();
  await peer.close();
});

Deno.test("[ws] a frame over 64 KiB closes the socket with 1009", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket } = await authed(server.url, token, host);
  const { socket: peer } = await authed(server.url, token, guest);
  await socket.nextOfType("status", (f) => f.connected.length === 2);
  // Just under the cap is fine.
  const fits = JSON.stringify({ type: "relay", payload: "" });
  const justFits = "x".repeat(64 * 1024 - fits.length);
  socket.send({ type: "relay", payload: justFits });
  assert.equal((await peer.next()).payload.length, justFits.length);
  socket.send({ type: "relay", payload: "x".repeat(64 * 1024) });
  await expectClose(socket, 1009);
  // The peer learns the host left; it never receives the oversized frame.
  const status = await peer.nextOfType("status");
  assert.deepEqual(status.connected, ["guest"]);
  await peer.close();
});

Deno.test("[ws] an oversized first frame also closes with 1009", async () => {
  await using server = await withServer();
  const { token, host } = await activeSession(server.url);
  const { TestSocket, socketUrl } = await import("./ws_client.ts");
  const socket = await TestSocket.open(socketUrl(server.url, token));
  socket.send({ type: "auth", participant_id: host, padding: "x".repeat(70_000) });
  await expectClose(socket, 1009);
});

Deno.test("[ws] a client flooding frames is closed with 1008", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket } = await authed(server.url, token, host);
  const { socket: peer } = await authed(server.url, token, guest);
  // The server's clock stands still in tests, so the flood guard never refills: every frame is
  // part of one burst, and a burst far beyond any chat client's rate must trip it. Each ping
  // waits for its pong so no frame is in flight when the server closes (see the next test).
  let pongs = 0;
  while (pongs < 100_000) {
    socket.send({ type: "ping" });
    const frame = await socket.next("pong or close").catch(() => null);
    if (!frame) break;
    if (frame.type === "pong") pongs++;
  }
  await expectClose(socket, 1008);
  assert.ok(pongs > 10 && pongs < 100_000, `${pongs} pongs before the close`);
  // The flooder's seat is free again and the peer is told.
  const status = await peer.nextOfType("status", (f) => f.connected.length === 1);
  assert.deepEqual(status.connected, ["guest"]);
  await peer.close();
});

Deno.test("[ws] a client that keeps blasting frames is cut off", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket: peer } = await authed(server.url, token, guest);
  // npm `ws` sends synchronously, so all 3,000 frames leave before any answer is read. Deno closes
  // the TCP connection right after writing its close frame, and frames still arriving then make
  // the kernel reset the connection, which can swallow the 1008: a flooder may see 1006 instead.
  const socket = new WebSocketClient(socketUrl(server.url, token));
  const closed = new Promise<number>((resolve) =>
    socket.on("close", (code: number) => resolve(code))
  );
  socket.on("error", () => {});
  let frames = 0;
  socket.on("message", () => frames++);
  await new Promise((resolve) => socket.on("open", resolve));
  socket.send(JSON.stringify({ type: "auth", participant_id: host }));
  for (let i = 0; i < 3_000; i++) socket.send(JSON.stringify({ type: "ping" }));
  assert.ok([1008, 1006].includes(await closed));
  assert.ok(frames < 3_000, `${frames} answers`);
  const status = await peer.nextOfType("status", (f) => f.connected.length === 1);
  assert.deepEqual(status.connected, ["guest"]);
  await peer.close();
});

Deno.test("[ws] frames sent right after auth, before its answer, are served", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket: peer } = await authed(server.url, token, guest);
  const socket = new WebSocketClient(socketUrl(server.url, token));
  const received: { type: string }[] = [];
  socket.on("message", (data: unknown) => received.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) =>
    socket.on("close", (code: number) => resolve(code))
  );
  await new Promise((resolve) => socket.on("open", resolve));
  // No waiting for the status: a reconnecting client may resend at once.
  socket.send(JSON.stringify({ type: "auth", participant_id: host }));
  socket.send(JSON.stringify({ type: "relay", payload: "pipelined" }));
  socket.send(JSON.stringify({ type: "ping" }));
  const relayed = await peer.nextOfType("relay");
  assert.deepEqual(relayed, { type: "relay", payload: "pipelined", from: "host" });
  for (let i = 0; i < 200 && received.length < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(received.map((f) => f.type), ["status", "pong"]);
  socket.close(1000);
  assert.equal(await closed, 1000);
  await peer.close();
});
