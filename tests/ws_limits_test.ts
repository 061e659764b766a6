/** Socket-level hostile-client rules against a real server (issue 8, points 2, 3, 4, 10, 12). */
import assert from "node:assert/strict";
import { withServer } from "./helpers.ts";
import { clientFrame, rawUpgrade, readToEnd, textFrame } from "./raw_socket.ts";
import { activeSession, authed, expectClose, socketUrl, TestSocket } from "./ws_client.ts";

Deno.test("[ws] a binary frame closes the socket with 1003, before and after auth", async () => {
  await using server = await withServer();
  const { token, host } = await activeSession(server.url);
  const early = await TestSocket.open(socketUrl(server.url, token));
  early.send(new Uint8Array([1, 2, 3]));
  await expectClose(early, 1003);
  const { socket } = await authed(server.url, token, host);
  socket.send(new TextEncoder().encode('{"type":"ping"}'));
  await expectClose(socket, 1003);
});

Deno.test("[ws] failed socket authentications spend the join allowance; past it 4429", async () => {
  await using server = await withServer({ env: { CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "4" } });
  // Two joins to take the seats spend 2 of the 4.
  const { token, host } = await activeSession(server.url);
  // Successful authentications spend nothing.
  for (let i = 0; i < 3; i++) await (await authed(server.url, token, host)).socket.close();
  const attempt = async (tokenTried: string, credential: string) => {
    const socket = await TestSocket.open(socketUrl(server.url, tokenTried));
    socket.send({ type: "auth", participant_id: credential });
    return (await socket.closed()).code;
  };
  assert.equal(await attempt(token, "wrong"), 4401);
  assert.equal(await attempt("no-such-token", host), 4404);
  assert.equal(await attempt(token, "wrong"), 4429);
  // Past the allowance even the right credential is refused, so no answer tells right from wrong.
  assert.equal(await attempt(token, host), 4429);
});

Deno.test("[ws] the upgrade refuses a foreign Origin with 403; its own, listed or none pass", async () => {
  await using server = await withServer({
    env: { CHAT_CORS_ALLOWED_ORIGINS: "https://friend.example" },
  });
  const { token } = await activeSession(server.url);
  const path = `/ws/sessions/${token}`;
  const status = async (headers: Record<string, string>) => {
    const raw = await rawUpgrade(server.port, path, headers);
    raw.conn.close();
    return raw.head.split(" ")[1];
  };
  assert.equal(await status({ Origin: "https://evil.example" }), "403");
  assert.equal(await status({ Origin: "https://friend.example" }), "101");
  assert.equal(await status({ Origin: `http://127.0.0.1:${server.port}` }), "101");
  assert.equal(await status({}), "101");
});

Deno.test("[ws] one address may hold only so many unauthenticated sockets (429 past it)", async () => {
  await using server = await withServer({ env: { CHAT_PENDING_SOCKETS_PER_ADDRESS: "2" } });
  const { token, host } = await activeSession(server.url);
  const path = `/ws/sessions/${token}`;
  const a = await rawUpgrade(server.port, path);
  const b = await rawUpgrade(server.port, path);
  const c = await rawUpgrade(server.port, path);
  assert.match(a.head, /^HTTP\/1.1 101/);
  assert.match(b.head, /^HTTP\/1.1 101/);
  assert.match(c.head, /^HTTP\/1.1 429/);
  // Once one authenticates, its place among the pending is free again.
  await a.conn.write(textFrame(JSON.stringify({ type: "auth", participant_id: host })));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const d = await rawUpgrade(server.port, path);
  assert.match(d.head, /^HTTP\/1.1 101/);
  for (const raw of [a, b, c, d]) raw.conn.close();
});

Deno.test("[ws] past the memory guard the server refuses new sockets with 503", async () => {
  // 64 MiB is below what any Deno process holds, so the guard is already crossed.
  await using server = await withServer({ env: { CHAT_MEMORY_GUARD_MB: "64" } });
  const { token } = await activeSession(server.url);
  const raw = await rawUpgrade(server.port, `/ws/sessions/${token}`);
  assert.match(raw.head, /^HTTP\/1.1 503/);
  raw.conn.close();
  assert.equal((await fetch(`${server.url}/api/health`)).status, 200, "HTTP is not refused");
});

Deno.test("[backpressure] a receiver that never reads is closed with 1013; the sender hears it left", async () => {
  await using server = await withServer();
  const { token, host, guest } = await activeSession(server.url);
  const { socket: sender } = await authed(server.url, token, host);
  const reader = await rawUpgrade(server.port, `/ws/sessions/${token}`);
  await reader.conn.write(textFrame(JSON.stringify({ type: "auth", participant_id: guest })));
  await sender.nextOfType("status", (f) => f.connected.length === 2);
  // 60 KB frames, at most 400 (24 MB): kernel buffers on both hops take a few MB, then the cap.
  const payload = "x".repeat(60_000);
  let gone = false;
  for (let i = 0; i < 400 && !gone; i++) {
    sender.send({ type: "relay", payload });
    if (i % 20 === 19) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gone = sender.drain().some((f) =>
        (f.type === "status" && f.connected.length === 1) || f.code === "peer_offline"
      );
    }
  }
  if (!gone) {
    await sender.nextOfType("status", (f) => f.connected.length === 1);
  }
  // The receiver, reading at last, finds the close frame 1013 at the end of what was queued.
  const end = await readToEnd(reader.conn, 10_000);
  assert.equal(end.closeCode, 1013);
  assert.ok(end.ended, "its TCP connection is cut too");
  await sender.close();
});

Deno.test("[ws] an oversized frame is refused from its header, before its payload arrives", async () => {
  await using server = await withServer();
  const { token, host } = await activeSession(server.url);
  const raw = await rawUpgrade(server.port, `/ws/sessions/${token}`);
  await raw.conn.write(textFrame(JSON.stringify({ type: "auth", participant_id: host })));
  // Announces 60 MiB and sends 1 KiB of it: Deno alone would wait to buffer all 60 MiB.
  await raw.conn.write(clientFrame(1, new Uint8Array(1024), 60 * 1024 * 1024));
  const end = await readToEnd(raw.conn, 10_000);
  assert.equal(end.closeCode, 1009);
  assert.ok(end.ended);
});
