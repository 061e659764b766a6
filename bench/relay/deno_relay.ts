/**
 * A minimal Deno relay speaking the hub's frames with nothing else: the first frame authenticates
 * (unchecked), sockets pair by token in arrival order, relay frames go to the other socket. No
 * database, no validation, no flood guard. The yardstick for the hub's own overhead.
 */
import { fullGc, serveControl } from "./protocol.ts";

const ROLES = ["host", "guest"] as const;
const rooms = new Map<string, (WebSocket | null)[]>();

function broadcastStatus(room: (WebSocket | null)[]) {
  const connected = ROLES.filter((_, i) => room[i]);
  room.forEach((socket, i) =>
    socket?.send(JSON.stringify({ type: "status", you: ROLES[i], connected }))
  );
}

function handle(request: Request): Response {
  const token = new URL(request.url).pathname.slice("/ws/sessions/".length);
  const { socket, response } = Deno.upgradeWebSocket(request);
  let seat = -1;
  let room: (WebSocket | null)[] | undefined;
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
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
    const other = room![1 - seat];
    if (other) {
      other.send(JSON.stringify({ type: "relay", payload: frame.payload, from: ROLES[seat] }));
    } else socket.send(JSON.stringify({ type: "error", code: "peer_offline" }));
  };
  socket.onclose = () => {
    if (!room || room[seat] !== socket) return;
    room[seat] = null;
    if (!room[0] && !room[1]) rooms.delete(token);
  };
  socket.onerror = () => {};
  return response;
}

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(JSON.stringify({ ready: true, port })),
}, handle);
await serveControl(fullGc, () => Deno.exit(0));
