/**
 * ChatSession over an in-memory pair of transports (Deno has no WebRTC, so this is the relay
 * path). The browser tests cover the real socket and the real data channel.
 */
import assert from "node:assert/strict";
import { newLinkSecret, parseLinkSecret } from "../crypto/mod.ts";
import { ChatSession, type Role, type SignalTransport } from "./chat_session.ts";

type Listener<T extends unknown[]> = (...args: T) => void;

/** Two transports wired to each other, with a switch to drop the link and a frame log. */
function transportPair() {
  const listeners = {
    host: {
      signal: new Set<Listener<[string, unknown]>>(),
      relay: new Set<Listener<[string]>>(),
      presence: new Set<Listener<[boolean]>>(),
    },
    guest: {
      signal: new Set<Listener<[string, unknown]>>(),
      relay: new Set<Listener<[string]>>(),
      presence: new Set<Listener<[boolean]>>(),
    },
  };
  const frames: string[] = [];
  let connected = true;
  let tamper: ((payload: string) => string) | null = null;
  const other = (role: Role): Role => role === "host" ? "guest" : "host";
  const make = (role: Role): SignalTransport => ({
    sendSignal(type, payload) {
      frames.push(JSON.stringify({ type, payload }));
      if (connected) {
        queueMicrotask(() => listeners[other(role)].signal.forEach((fn) => fn(type, payload)));
      }
    },
    sendRelay(payload) {
      frames.push(payload);
      const delivered = tamper ? tamper(payload) : payload;
      if (connected) {
        queueMicrotask(() => listeners[other(role)].relay.forEach((fn) => fn(delivered)));
      }
    },
    onSignal: (fn) => (listeners[role].signal.add(fn), () => listeners[role].signal.delete(fn)),
    onRelay: (fn) => (listeners[role].relay.add(fn), () => listeners[role].relay.delete(fn)),
    onPeerPresence: (
      fn,
    ) => (listeners[role].presence.add(fn), () => listeners[role].presence.delete(fn)),
  });
  return {
    host: make("host"),
    guest: make("guest"),
    frames,
    setPresence(present: boolean) {
      connected = present;
      for (const role of ["host", "guest"] as const) {
        listeners[role].presence.forEach((fn) => fn(present));
      }
    },
    setTamper(fn: ((payload: string) => string) | null) {
      tamper = fn;
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

function pair(linkSecret: Uint8Array | null = parseLinkSecret(newLinkSecret())) {
  const wires = transportPair();
  const common = { token: "tok_test_1234567890", linkSecret, iceServers: [], charLimit: 200 };
  const host = new ChatSession({ ...common, role: "host", transport: wires.host });
  const guest = new ChatSession({ ...common, role: "guest", transport: wires.guest });
  return { wires, host, guest, [Symbol.dispose]: () => (host.dispose(), guest.dispose()) };
}

Deno.test("[chat] messages flow both ways, are acknowledged and deleted on both screens", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "both sides secured");
  assert.deepEqual(p.host.safetyCode.value, p.guest.safetyCode.value);
  assert.equal(p.host.path.value, "relayed");

  assert.ok(p.host.send("hello guest"));
  assert.ok(p.guest.send("hello host"));
  await until(
    () => p.guest.messages.value.length === 2 && p.host.messages.value.length === 2,
    "messages",
  );
  await until(() => p.host.messages.value.every((m) => !m.mine || m.delivered), "delivered mark");

  const mine = p.host.messages.value.find((m) => m.mine)!;
  p.guest.delete(mine.id); // not the guest's message: nothing happens
  p.host.delete(mine.id);
  await until(() => p.guest.messages.value.length === 1, "deletion on the other screen");
  assert.equal(p.host.messages.value.length, 1);
  assert.equal(p.guest.messages.value[0].text, "hello host");

  // Nothing the server relays contains the plaintext.
  for (const frame of p.wires.frames) {
    assert.ok(!frame.includes("hello"), `plaintext leaked: ${frame.slice(0, 80)}`);
  }
});

Deno.test("[chat] the character cap is enforced by the sender", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  assert.equal(p.host.send("x".repeat(201)), false);
  assert.equal(p.host.send("x".repeat(200)), true);
  assert.equal(p.host.send("   "), false);
});

Deno.test("[chat] unacknowledged messages are re-sent after a reconnect and shown once", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.wires.setPresence(false);
  await until(() => !p.host.secured.value, "keys dropped while the peer is away");
  assert.ok(p.host.send("queued while away"), "messages queue while the peer is away");
  assert.equal(p.host.messages.value[0].delivered, false);
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured again");
  assert.ok(p.host.send("after reconnect"));
  await until(() => p.guest.messages.value.length === 2, "both messages after reconnect");
  await until(() => p.host.messages.value.every((m) => m.delivered), "both delivered");
  assert.deepEqual(p.guest.messages.value.map((m) => m.text), [
    "queued while away",
    "after reconnect",
  ]);
  // A new handshake gives a new safety code.
  assert.deepEqual(p.host.safetyCode.value, p.guest.safetyCode.value);
});

Deno.test("[chat] a tampered envelope stops the chat with a warning", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.wires.setTamper((payload) =>
    payload.slice(0, -4) + (payload.endsWith("AAAA") ? "BBBB" : "AAAA")
  );
  p.host.send("tampered");
  await until(() => p.guest.failure.value !== null, "failure on the receiving side");
  assert.equal(p.guest.messages.value.length, 0);
  assert.equal(p.guest.canSend.value, false);
});

Deno.test("[chat] without a link secret the conversation still works", async () => {
  using p = pair(null);
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.guest.send("no secret");
  await until(() => p.host.messages.value.length === 1, "message");
});

Deno.test("[chat] a verified mark set by one side shows on both", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.guest.confirmVerified();
  await until(() => p.host.verified.value, "verified on the host");
});
