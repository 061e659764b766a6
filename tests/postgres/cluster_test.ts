/**
 * Three instances on one PostgreSQL database: mint through A, the host on B, the guest on C.
 * Everything a chat needs must cross instances through the database's LISTEN/NOTIFY fan-out.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { getsThrough, withCluster } from "../cluster.ts";
import { postgresTest, TEST_POSTGRES_URL } from "../test_store.ts";
import { authed, expectClose, joinLive, mintLive, type TestSocket } from "../ws_client.ts";

async function crossSeats(a: string, b: string, c: string) {
  const token = await mintLive(a);
  const host = (await joinLive(b, { token })).participant_id;
  const guest = (await joinLive(c, { token })).participant_id;
  const { socket: hostSocket } = await authed(b, token, host);
  const { socket: guestSocket } = await authed(c, token, guest);
  await hostSocket.nextOfType("status", (f) => f.connected.length === 2);
  return { token, host, guest, hostSocket, guestSocket };
}

/** Status as a seat holder sees it: presence (`connected`) is shown only with a seat credential. */
async function status(url: string, token: string, seat?: string) {
  const headers: HeadersInit = seat ? { authorization: `Bearer ${seat}` } : {};
  const response = await fetch(`${url}/api/sessions/${token}/status`, { headers });
  assert.equal(response.status, 200);
  return await response.json();
}

await postgresTest("[cluster] seats on B and C relay both ways, A sees and ends them", async () => {
  await using cluster = await withCluster(3);
  const [a, b, c] = cluster.servers.map((server) => server.url);
  const { token, host, hostSocket, guestSocket } = await crossSeats(a, b, c);

  const small = btoa("sealed ".repeat(20));
  hostSocket.send({ type: "relay", payload: small });
  assert.deepEqual(await guestSocket.next(), { type: "relay", payload: small, from: "host" });
  // 60 KiB travels in parts, each NOTIFY under 8000 bytes, and comes out whole and in order.
  const large = "A".repeat(60 * 1024);
  guestSocket.send({ type: "relay", payload: large });
  guestSocket.send({ type: "signal", signalType: "answer", payload: "after the large one" });
  const first = await hostSocket.nextOfType("relay");
  assert.equal(first.payload, large);
  assert.equal(first.from, "guest");
  assert.equal((await hostSocket.nextOfType("signal")).payload, "after the large one");

  const seen = await status(a, token, host);
  assert.deepEqual(seen.participants.map((p: { connected: boolean }) => p.connected), [true, true]);

  const ended = await fetch(`${a}/api/sessions/${token}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${host}` },
  });
  assert.equal(ended.status, 204);
  for (const socket of [hostSocket, guestSocket]) {
    assert.equal((await socket.nextOfType("session_closed")).reason, "ended");
    await expectClose(socket, 1000);
  }
});

await postgresTest("[cluster] a one-minute session expires on both seats, once", async () => {
  await using cluster = await withCluster(3);
  const [a, b, c] = cluster.servers.map((server) => server.url);
  const token = await mintLive(a, { validity_period: "1_day", session_ttl_minutes: 1 });
  const host = (await joinLive(b, { token })).participant_id;
  const { socket: hostSocket } = await authed(b, token, host);
  const guest = (await joinLive(c, { token })).participant_id;
  // B hears of the activation from C and arms its own deadline.
  await hostSocket.nextOfType("status", (f) => f.status === "active");
  const { socket: guestSocket } = await authed(c, token, guest);
  await hostSocket.nextOfType("status", (f) => f.connected.length === 2);
  cluster.clock.advance(60_000);
  for (const socket of [hostSocket, guestSocket]) {
    assert.equal((await socket.nextOfType("session_closed")).reason, "expired");
    await expectClose(socket, 1000);
    const closings = socket.drain().filter((frame) => frame.type === "session_closed");
    assert.equal(closings.length, 0, "session_closed came twice");
  }
  assert.equal((await status(a, token)).end_reason, "expired");
});

await postgresTest(
  "[cluster] a second host socket on C replaces the one on B with 4409",
  async () => {
    await using cluster = await withCluster(3);
    const [a, b, c] = cluster.servers.map((server) => server.url);
    const { token, host, guestSocket, hostSocket } = await crossSeats(a, b, c);
    const { socket: newer } = await authed(c, token, host);
    await expectClose(hostSocket, 4409);
    newer.send({ type: "relay", payload: "from the newer socket" });
    assert.equal((await guestSocket.nextOfType("relay")).payload, "from the newer socket");
    guestSocket.send({ type: "relay", payload: "to the newer socket" });
    assert.equal((await newer.nextOfType("relay")).payload, "to the newer socket");
    await newer.close();
    await guestSocket.close();
  },
);

await postgresTest(
  "[cluster] status cached on one instance follows a join on another",
  async () => {
    await using cluster = await withCluster(2);
    const [a, b] = cluster.servers.map((server) => server.url);
    const token = await mintLive(a);
    await joinLive(a, { token });
    assert.equal((await status(b, token)).participants.length, 1);
    await joinLive(a, { token });
    // B cached the one-seat rows; A's invalidation must reach it.
    const deadline = Date.now() + 5_000;
    let seen = await status(b, token);
    while (seen.participants.length !== 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await status(b, token);
    }
    assert.equal(seen.participants.length, 2);
    assert.equal(seen.status, "active");
  },
);

await postgresTest(
  "[cluster] 200 sessions over three instances never see others' frames",
  async () => {
    await using cluster = await withCluster(3, {
      CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000",
      CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "1000",
      CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: "1000",
      // 400 sockets, all from 127.0.0.1.
      CHAT_CONNECTIONS_PER_ADDRESS: "1000",
      CHAT_PENDING_SOCKETS_PER_ADDRESS: "1000",
    });
    const urls = cluster.servers.map((server) => server.url);
    const pairs: { hostSocket: TestSocket; guestSocket: TestSocket; id: number }[] = [];
    for (let batch = 0; batch < 200; batch += 20) {
      pairs.push(
        ...await Promise.all(Array.from({ length: 20 }, async (_, k) => {
          const id = batch + k;
          const seats = await crossSeats(urls[id % 3], urls[(id + 1) % 3], urls[(id + 2) % 3]);
          return { ...seats, id };
        })),
      );
    }
    for (const { hostSocket, id } of pairs) hostSocket.send({ type: "relay", payload: `p${id}` });
    for (const { guestSocket, id } of pairs) {
      const frame = await guestSocket.nextOfType("relay");
      assert.equal(frame.payload, `p${id}`);
    }
    for (const { hostSocket, guestSocket, id } of pairs) {
      guestSocket.send({ type: "ping" });
      assert.equal((await guestSocket.next()).type, "pong", `session ${id} got a stray frame`);
      for (const frame of hostSocket.drain()) assert.notEqual(frame.type, "relay");
    }
    await Promise.all(pairs.flatMap((p) => [p.hostSocket.close(), p.guestSocket.close()]));
  },
);

await postgresTest("[cluster] mints through A, B and C share one hourly allowance", async () => {
  await using cluster = await withCluster(3, { CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "3" });
  const [a, b, c] = cluster.servers.map((server) => server.url);
  await Promise.all([mintLive(a), mintLive(b), mintLive(c)]);
  for (const url of [a, b, c]) {
    const response = await fetch(`${url}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 5 }),
    });
    assert.equal(response.status, 429);
    await response.body?.cancel();
  }
});

await postgresTest("[cluster] two instances racing for the last seat give it to one", async () => {
  await using cluster = await withCluster(2);
  const [a, b] = cluster.servers.map((server) => server.url);
  const token = await mintLive(a);
  const join = (url: string) =>
    fetch(`${url}/api/sessions/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));
  const results = await Promise.all([join(a), join(b), join(a), join(b)]);
  const roles = results.filter((r) => r.status === 200).map((r) => r.body.role).sort();
  assert.deepEqual(roles, ["guest", "host"]);
  assert.deepEqual(results.filter((r) => r.status !== 200).map((r) => r.status), [409, 409]);
});

await postgresTest(
  "[cluster] a cut listener connection comes back and the chat goes on",
  async () => {
    await using cluster = await withCluster(2);
    const [a, b] = cluster.servers.map((server) => server.url);
    const { hostSocket, guestSocket } = await crossSeats(a, a, b);
    const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
    try {
      const name = `chatorbit-fanout-${cluster.schema.target.schema}`;
      const cut = await admin`
      select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name}`;
      assert.ok(cut.length >= 2, `cut ${cut.length} listeners`);
    } finally {
      await admin.end();
    }
    // Frames sent while the listeners reconnect may be lost (the client resends those); once they
    // are back, frames flow again both ways.
    await getsThrough(hostSocket, guestSocket, "after the cut");
    await getsThrough(guestSocket, hostSocket, "back");
    await hostSocket.close();
    await guestSocket.close();
  },
);
