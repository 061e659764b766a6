/** The connection front's deadlines and caps against a real server (issue 8, point 5). */
import assert from "node:assert/strict";
import { ManualClock } from "../server/clock.ts";
import { withServer } from "./helpers.ts";
import { rawUpgrade, readToEnd } from "./raw_socket.ts";
import { activeSession, authed } from "./ws_client.ts";

const SHORT = {
  headerTimeoutMs: 300,
  httpIdleMs: 300,
  httpLifetimeMs: 1_000,
  cutAfterMs: 300,
};
const encoder = new TextEncoder();

/** Whether the server ended the connection within `ms` (it sends nothing the client asked for). */
async function endsWithin(conn: Deno.Conn, ms: number): Promise<boolean> {
  return (await readToEnd(conn, ms)).ended;
}

Deno.test("[front] a request head that does not finish in time is cut", async () => {
  await using server = await withServer({ frontLimits: SHORT });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await conn.write(encoder.encode("GET /api/health HTTP/1.1\r\nHost: x\r\n"));
  assert.ok(await endsWithin(conn, 5_000));
});

Deno.test("[front] an idle keep-alive connection is closed", async () => {
  await using server = await withServer({ frontLimits: SHORT });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await conn.write(encoder.encode("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  const end = await readToEnd(conn, 5_000);
  assert.ok(end.ended && end.bytes > 0, "answered, then closed once idle");
});

Deno.test("[front] a trickled body cannot hold a connection past its lifetime", async () => {
  await using server = await withServer({ frontLimits: SHORT });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await conn.write(encoder.encode(
    "POST /api/tokens HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n" +
      "content-length: 10000\r\n\r\n",
  ));
  const started = Date.now();
  let open = true;
  // One byte every 100 ms keeps it from idling; the lifetime still ends it.
  while (open && Date.now() - started < 5_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    open = await conn.write(encoder.encode(" ")).then(() => true, () => false);
  }
  assert.equal(open, false, "the connection was cut");
});

Deno.test("[front] one address may hold only so many connections", async () => {
  await using server = await withServer({ env: { CHAT_CONNECTIONS_PER_ADDRESS: "3" } });
  const conns = await Promise.all(
    [0, 1, 2].map(() => Deno.connect({ hostname: "127.0.0.1", port: server.port })),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const extra = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  assert.ok(await endsWithin(extra, 2_000), "the fourth is closed at once");
  conns[0].close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const again = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await again.write(
    encoder.encode("GET /api/health HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n"),
  );
  const end = await readToEnd(again, 2_000);
  assert.ok(end.bytes > 0, "a freed place is usable");
  for (const conn of conns.slice(1)) conn.close();
});

Deno.test("[front] a socket that never answers our close frame loses its TCP connection", async () => {
  const clock = new ManualClock(Date.now());
  await using server = await withServer({ clock, frontLimits: SHORT });
  const { token } = await activeSession(server.url);
  // Never authenticates and never reads: the auth timeout closes it with 4401.
  const raw = await rawUpgrade(server.port, `/ws/sessions/${token}`);
  clock.advance(10_000);
  const end = await readToEnd(raw.conn, 5_000);
  assert.equal(end.closeCode, 4401);
  assert.ok(end.ended, "cut shortly after the close frame, though the client never answered");
});

Deno.test("[front] a WebSocket in use outlives the header and HTTP deadlines", async () => {
  await using server = await withServer({ frontLimits: SHORT });
  const { token, host, guest } = await activeSession(server.url);
  const { socket: a } = await authed(server.url, token, host);
  const { socket: b } = await authed(server.url, token, guest);
  await a.nextOfType("status", (f) => f.connected.length === 2);
  for (let i = 0; i < 12; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    a.send({ type: "relay", payload: `still-${i}` });
    assert.equal((await b.nextOfType("relay")).payload, `still-${i}`);
  }
  await a.close();
  await b.close();
});

Deno.test("[front] a refused upgrade leaves a plain HTTP connection, under the HTTP deadlines", async () => {
  await using server = await withServer({
    env: { CHAT_PENDING_SOCKETS_PER_ADDRESS: "1" },
    frontLimits: SHORT,
  });
  const { token } = await activeSession(server.url);
  const held = await rawUpgrade(server.port, `/ws/sessions/${token}`);
  const refused = await rawUpgrade(server.port, `/ws/sessions/${token}`);
  assert.match(refused.head, /^HTTP\/1.1 429/);
  // Kept busy a byte at a time, it still ends at the HTTP lifetime.
  const started = Date.now();
  let open = true;
  while (open && Date.now() - started < 5_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    open = await refused.conn.write(encoder.encode("x")).then(() => true, () => false);
  }
  assert.equal(open, false);
  held.conn.close();
});
