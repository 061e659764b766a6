/**
 * The same minimal relay as deno_relay.ts on Node's `ws` package: auth by first frame, pair by
 * token, forward relay frames. Runs under `node` with ws from bench/.node_modules (BENCH_WS_FROM);
 * run by Deno instead (no node on the machine) it loads ws through Deno's npm compatibility.
 */
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const { WebSocketServer } = typeof Deno === "undefined"
  ? createRequire(process.env.BENCH_WS_FROM)("ws")
  : await import("ws");

const ROLES = ["host", "guest"];
const rooms = new Map();

function broadcastStatus(room) {
  const connected = ROLES.filter((_, i) => room[i]);
  room.forEach((socket, i) =>
    socket?.send(JSON.stringify({ type: "status", you: ROLES[i], connected }))
  );
}

const server = createServer((_, response) => response.writeHead(404).end());
const wss = new WebSocketServer({ server });
wss.on("connection", (socket, request) => {
  const token = request.url.slice("/ws/sessions/".length);
  let seat = -1;
  let room;
  socket.on("message", (data) => {
    const frame = JSON.parse(data.toString());
    if (seat < 0) {
      if (frame.type !== "auth") return socket.close(4401);
      room = rooms.get(token) ?? [null, null];
      rooms.set(token, room);
      seat = room[0] ? 1 : 0;
      room[seat] = socket;
      broadcastStatus(room);
      return;
    }
    if (frame.type !== "relay") return;
    const other = room[1 - seat];
    if (other) {
      other.send(JSON.stringify({ type: "relay", payload: frame.payload, from: ROLES[seat] }));
    } else socket.send(JSON.stringify({ type: "error", code: "peer_offline" }));
  });
  socket.on("close", () => {
    if (!room || room[seat] !== socket) return;
    room[seat] = null;
    if (!room[0] && !room[1]) rooms.delete(token);
  });
  socket.on("error", () => {});
});

server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ ready: true, port: server.address().port }));
});

// The same control lines as serveControl() in protocol.ts: gc, lag, and exit at end of input.
let lags = [];
let expected = performance.now() + 5;
setInterval(() => {
  const now = performance.now();
  lags.push(Math.max(0, now - expected));
  expected = now + 5;
}, 5);
const control = createInterface({ input: process.stdin });
control.on("line", (line) => {
  if (line.trim() === "gc") {
    globalThis.gc?.();
    console.log(JSON.stringify({ gc: true }));
  } else if (line.trim() === "lag") {
    const sorted = lags.sort((a, b) => a - b);
    lags = [];
    const p99 = sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
    console.log(JSON.stringify({ lag: { p99, max: sorted[sorted.length - 1] ?? 0 } }));
  }
});
control.on("close", () => process.exit(0));
