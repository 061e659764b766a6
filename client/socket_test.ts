import assert from "node:assert/strict";
import {
  BACKOFF_MS,
  backoffDelay,
  parseServerFrame,
  reconnectDelay,
  SessionSocket,
} from "./socket.ts";
import { parseJoinInput } from "./share_link.ts";

const STATUS = {
  type: "status",
  token: "t",
  status: "active",
  you: "host",
  connected: ["host", "guest"],
  session_started_at: "2026-01-01T00:00:00.000Z",
  session_expires_at: "2026-01-01T00:30:00.000Z",
  remaining_seconds: 1800,
  server_time: "2026-01-01T00:00:00.000Z",
  message_char_limit: 2000,
  end_reason: null,
};

Deno.test("[room] server frames are validated on receipt", () => {
  assert.equal(parseServerFrame(JSON.stringify(STATUS))?.type, "status");
  assert.equal(parseServerFrame(JSON.stringify({ ...STATUS, you: "admin" })), null);
  assert.equal(parseServerFrame(JSON.stringify({ ...STATUS, server_time: "soon" })), null);
  assert.deepEqual(parseServerFrame('{"type":"relay","payload":"x","from":"guest"}'), {
    type: "relay",
    payload: "x",
    from: "guest",
  });
  assert.equal(parseServerFrame('{"type":"relay","payload":1,"from":"guest"}'), null);
  assert.deepEqual(parseServerFrame('{"type":"session_closed","reason":"ended"}'), {
    type: "session_closed",
    reason: "ended",
  });
  assert.equal(parseServerFrame('{"type":"session_closed","reason":"boom"}'), null);
  assert.equal(parseServerFrame('{"type":"surprise"}'), null);
  assert.equal(parseServerFrame("not json"), null);
  assert.equal(parseServerFrame("null"), null);
});

Deno.test("[room] a turn frame is validated and keeps only what RTCPeerConnection takes", () => {
  const server = { urls: ["turn:t.example:3478"], username: "1767225600:x", credential: "c" };
  assert.deepEqual(
    parseServerFrame(JSON.stringify({ type: "turn", iceServers: [{ ...server, extra: 1 }] })),
    { type: "turn", iceServers: [server] },
  );
  const bad = [
    { type: "turn" },
    { type: "turn", iceServers: "turn:t.example" },
    { type: "turn", iceServers: [{ ...server, urls: [] }] },
    { type: "turn", iceServers: [{ ...server, urls: [1] }] },
    { type: "turn", iceServers: [{ urls: "turn:t.example", username: "u" }] },
    { type: "turn", iceServers: [server, null] },
  ];
  for (const frame of bad) assert.equal(parseServerFrame(JSON.stringify(frame)), null);
});

Deno.test("[room] reconnect delays grow, are capped and jittered", () => {
  assert.equal(backoffDelay(0, 0.5), BACKOFF_MS[0]);
  assert.equal(backoffDelay(99, 0.5), BACKOFF_MS.at(-1));
  assert.ok(backoffDelay(2, 0) < backoffDelay(2, 1));
});

Deno.test("[pages] the join field takes a bare token or a whole link", () => {
  const token = "abcDEF_-".repeat(5) + "xyz";
  assert.deepEqual(parseJoinInput(`  ${token} `), { token, fragment: "" });
  assert.deepEqual(parseJoinInput(`https://chat.example/session/${token}#s3cret`), {
    token,
    fragment: "s3cret",
  });
  assert.deepEqual(parseJoinInput(`/session/${token}`), { token, fragment: "" });
  assert.equal(parseJoinInput("hello world"), null);
  assert.equal(parseJoinInput("https://chat.example/session/short"), null);
});

/** A WebSocket stand-in: records what the client sends; the test plays the server. */
class FakeSocket {
  static made: FakeSocket[] = [];
  readyState: number = WebSocket.CONNECTING;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = WebSocket.CLOSED;
  }
  /** The server accepts the connection and the seat. */
  accept() {
    this.readyState = WebSocket.OPEN;
    this.onopen?.();
    this.onmessage?.({ data: JSON.stringify(STATUS) });
  }
  /** The server closes with `code`. */
  serverClose(code: number) {
    this.readyState = WebSocket.CLOSED;
    this.onclose?.({ code });
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

Deno.test("[room] a restart (1012) reconnects at once, a full queue (1013) after a backoff", () => {
  assert.equal(reconnectDelay(1012, 0), 0);
  assert.ok(reconnectDelay(1012, 3, 0.5) > 0, "a server that keeps restarting is backed off");
  assert.equal(reconnectDelay(1013, 0, 0.5), BACKOFF_MS[0]);
  assert.equal(reconnectDelay(1006, 1, 0.5), BACKOFF_MS[1]);
});

Deno.test("[room] after 1012 or 1013 the socket reconnects and authenticates again", async () => {
  FakeSocket.made = [];
  const states: string[] = [];
  const socket = new SessionSocket({
    url: "ws://chat.test/ws/sessions/t",
    participantId: "seat-credential",
    onFrame: () => {},
    onState: (state) => states.push(state),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
  try {
    socket.connect();
    FakeSocket.made[0].accept();
    assert.ok(socket.send({ type: "relay", payload: "x" }));
    for (const [index, code] of [[1, 1012], [2, 1013]]) {
      FakeSocket.made[index - 1].serverClose(code);
      assert.equal(socket.send({ type: "relay", payload: "x" }), false, "nothing sent while away");
      await until(() => FakeSocket.made.length > index, `a new socket after ${code}`);
      FakeSocket.made[index].accept();
      assert.deepEqual(JSON.parse(FakeSocket.made[index].sent[0]), {
        type: "auth",
        participant_id: "seat-credential",
      });
    }
    assert.ok(!states.includes("closed"), `never stopped for good: ${states}`);
    assert.equal(states.at(-1), "open");
  } finally {
    socket.close();
  }
});
