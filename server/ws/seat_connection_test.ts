import assert from "node:assert/strict";
import { ManualClock } from "../clock.ts";
import type { Role } from "../domain/sessions.ts";
import { InProcessFanout } from "./fanout.ts";
import { SeatConnection, type SeatDesk, type SeatRoom } from "./seat_connection.ts";

class FakeSocket {
  sent: string[] = [];
  closedWith: number | null = null;
  /** Set to make this socket's queue full: send refuses, as the transport does past its cap. */
  full = false;
  send(text: string) {
    if (this.full) return false;
    this.sent.push(text);
    return true;
  }
  close(code?: number) {
    this.closedWith = code ?? 1005;
  }
}

/** Two connections seated in one active room, the way the hub seats them. */
async function seatedPair() {
  const clock = new ManualClock(0);
  const fanout = new InProcessFanout();
  const room: SeatRoom = { tokenHash: "hash", expiresAt: 60_000 };
  const roles = new Map<string, Role>([["host-id", "host"], ["guest-id", "guest"]]);
  const desk: SeatDesk = {
    clock,
    fanout,
    seat: (connection, participantId) => {
      const role = roles.get(participantId)!;
      fanout.attach(room.tokenHash, role, connection);
      return Promise.resolve({ room, role });
    },
    leave: (connection, seatRoom, role) => fanout.detach(seatRoom.tokenHash, role, connection),
  };
  const open = async (participantId: string) => {
    const socket = new FakeSocket();
    const connection = new SeatConnection(desk, "token", socket);
    connection.message(JSON.stringify({ type: "auth", participant_id: participantId }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { socket, connection };
  };
  return { host: await open("host-id"), guest: await open("guest-id") };
}

Deno.test("[hub] forwarded frames are the JSON a serializer would write, escapes included", async () => {
  const { host, guest } = await seatedPair();
  const payload = 'quote " backslash \\ newline \n line-sep \u2028 emoji 🙂 lone \ud800';
  host.connection.message(JSON.stringify({ type: "relay", payload }));
  assert.deepEqual(guest.socket.sent, [JSON.stringify({ type: "relay", payload, from: "host" })]);
  const signal = { sdp: "v=0\r\n", list: [1, null, { 'a"b': true }] };
  guest.connection.message(
    JSON.stringify({ type: "signal", signalType: "offer", payload: signal }),
  );
  assert.deepEqual(host.socket.sent, [
    JSON.stringify({ type: "signal", signalType: "offer", payload: signal, from: "guest" }),
  ]);
});

Deno.test("[hub] extra keys on a relay frame are neither forwarded nor taken for an error", async () => {
  const { host, guest } = await seatedPair();
  host.connection.message('{"type":"relay","payload":"x","code":"boom","from":"guest"}');
  assert.deepEqual(guest.socket.sent, ['{"type":"relay","payload":"x","from":"host"}']);
  assert.deepEqual(host.socket.sent, []);
});

Deno.test("[hub] a replaced connection relays nothing more", async () => {
  const { host, guest } = await seatedPair();
  host.connection.end(4409, "Replaced by a newer connection");
  host.connection.message('{"type":"relay","payload":"late"}');
  assert.deepEqual(guest.socket.sent, []);
  assert.equal(host.socket.closedWith, 4409);
});

Deno.test("[hub] every frame pays the flood bucket first: binary frames cannot skip it", async () => {
  const { host } = await seatedPair();
  for (let i = 0; i < 400; i++) host.connection.message('{"type":"ping"}');
  host.connection.message(new ArrayBuffer(8));
  assert.equal(host.socket.closedWith, 1008, "the bucket was empty before the frame was looked at");
  const fresh = await seatedPair();
  fresh.host.connection.message(new ArrayBuffer(8));
  assert.equal(fresh.host.socket.closedWith, 1003);
});

Deno.test("[backpressure] a receiver past its queue cap leaves its seat; the sender hears peer_offline", async () => {
  const { host, guest } = await seatedPair();
  guest.socket.full = true;
  host.connection.message('{"type":"relay","payload":"dropped"}');
  host.connection.message('{"type":"relay","payload":"next"}');
  assert.equal(JSON.parse(host.socket.sent.at(-1)!).code, "peer_offline");
});
