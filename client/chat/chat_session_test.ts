/**
 * ChatSession over an in-memory pair of socket ports (Deno has no WebRTC, so this is the relay
 * path). The browser tests cover the real socket and the real data channel.
 */
import assert from "node:assert/strict";
import { newLinkSecret, parseLinkSecret } from "../crypto/mod.ts";
import type { Role } from "../../contract/session.ts";
import { signal } from "@preact/signals-core";
import type { ServerFrame } from "../../contract/frames.ts";
import { ChatSession, SEALED_SIGNAL, type SocketPort } from "./chat_session.ts";

/** Two socket ports wired to each other, with a switch to drop the link and a frame log. */
function transportPair() {
  const listeners = {
    host: new Set<(frame: ServerFrame) => void>(),
    guest: new Set<(frame: ServerFrame) => void>(),
  };
  const frames: string[] = [];
  const present = signal(false);
  let tamper: ((payload: string) => string | null) | null = null;
  let signalDelayMs = 0;
  const other = (role: Role): Role => role === "host" ? "guest" : "host";
  const deliver = (to: Role, frame: ServerFrame) =>
    queueMicrotask(() => listeners[to].forEach((fn) => fn(frame)));
  const make = (role: Role): SocketPort => ({
    send(frame) {
      if (frame.type === "signal") {
        frames.push(JSON.stringify({ type: frame.signalType, payload: frame.payload }));
        const to = other(role);
        const send = () => present.peek() && deliver(to, { ...frame, from: role });
        if (signalDelayMs > 0 && to === "host") setTimeout(send, signalDelayMs);
        else send();
      } else if (frame.type === "relay") {
        frames.push(frame.payload);
        const delivered = tamper ? tamper(frame.payload) : frame.payload;
        if (present.peek() && delivered !== null) {
          deliver(other(role), { type: "relay", payload: delivered, from: role });
        }
      }
    },
    receive: (fn) => (listeners[role].add(fn), () => listeners[role].delete(fn)),
  });
  return {
    host: make("host"),
    guest: make("guest"),
    present,
    frames,
    setPresence(value: boolean) {
      present.value = value;
    },
    /** What the relay does to each envelope: changes it, or drops it (null). */
    setTamper(fn: ((payload: string) => string | null) | null) {
      tamper = fn;
    },
    /** Signals to the host arrive this late (relayed envelopes do not): the guest finishes first. */
    delaySignalsToHost(ms: number) {
      signalDelayMs = ms;
    },
    /** Delivers an envelope to the guest now, as a relay holding it back would later. */
    deliverToGuest(payload: string) {
      listeners.guest.forEach((fn) => fn({ type: "relay", payload, from: "host" }));
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Waits until no frame has been sent for 100 ms. */
async function quiet(frames: string[]): Promise<void> {
  let seen = -1;
  while (seen !== frames.length) {
    seen = frames.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function pair(linkSecret: Uint8Array | null = parseLinkSecret(newLinkSecret())) {
  const wires = transportPair();
  const common = {
    token: "tok_test_1234567890",
    linkSecret,
    iceServers: signal([]),
    charLimit: 200,
    sendTimeoutMs: 300,
  };
  const bothPresent = wires.present;
  const host = new ChatSession({ ...common, role: "host", port: wires.host, bothPresent });
  const makeGuest = () =>
    new ChatSession({ ...common, role: "guest", port: wires.guest, bothPresent });
  return {
    wires,
    host,
    guest: makeGuest(),
    /** The guest's page reloads: its session and everything it showed are gone. */
    reloadGuest() {
      this.guest.dispose();
      this.guest = makeGuest();
    },
    [Symbol.dispose]() {
      host.dispose();
      this.guest.dispose();
    },
  };
}

/** The messages a side shows, without the conversation's notes (joined, away, …). */
const shown = (side: ChatSession) => side.messages.value.filter((m) => !m.note);

Deno.test("[chat] messages flow both ways, are acknowledged and deleted on both screens", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "both sides secured");
  assert.deepEqual(p.host.safetyCode.value, p.guest.safetyCode.value);
  assert.equal(p.host.path.value, "relayed");

  assert.equal(p.host.send("hello guest"), null);
  assert.equal(p.guest.send("hello host"), null);
  await until(
    () => shown(p.guest).length === 2 && shown(p.host).length === 2,
    "messages",
  );
  await until(
    () => shown(p.host).every((m) => !m.mine || m.delivery === "delivered"),
    "delivered",
  );

  const mine = shown(p.host).find((m) => m.mine)!;
  p.guest.delete(mine.id); // not the guest's message: nothing happens
  p.host.delete(mine.id);
  const texts = (messages: { text: string; deleted?: boolean }[]) =>
    messages.map((m) => m.deleted ? "[deleted]" : m.text).sort();
  await until(() => shown(p.guest).some((m) => m.deleted), "deletion on the other screen");
  assert.deepEqual(texts(shown(p.host)), ["[deleted]", "hello host"]);
  assert.deepEqual(texts(shown(p.guest)), ["[deleted]", "hello host"]);

  // Nothing the server relays contains the plaintext.
  for (const frame of p.wires.frames) {
    assert.ok(!frame.includes("hello"), `plaintext leaked: ${frame.slice(0, 80)}`);
  }
});

Deno.test("[chat] the character cap is enforced by the sender", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  assert.equal(p.host.send("x".repeat(201)), "too_long");
  assert.equal(p.host.send("x".repeat(200)), null);
  assert.equal(p.host.send("   "), "invisible");
});

Deno.test("[chat] unacknowledged messages are re-sent after a reconnect and shown once", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.wires.setPresence(false);
  await until(() => !p.host.secured.value, "keys dropped while the peer is away");
  assert.equal(p.host.send("queued while away"), null, "messages queue while the peer is away");
  const said = (messages: { text: string; note?: string }[]) =>
    messages.map((m) => m.note ? `(${m.note})` : m.text);
  assert.deepEqual(said(p.host.messages.value), ["(joined)", "(away)", "queued while away"]);
  assert.equal(p.host.messages.value[2].delivery, "sending");
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured again");
  assert.equal(p.host.send("after reconnect"), null);
  const texts = () => p.guest.messages.value.filter((m) => !m.note).map((m) => m.text);
  await until(() => texts().length === 2, "both messages after reconnect");
  await until(
    () => p.host.messages.value.every((m) => m.note || m.delivery === "delivered"),
    "both delivered",
  );
  assert.deepEqual(texts(), ["queued while away", "after reconnect"]);
  // Both screens say the connection came back, and that the code changed with the new keys.
  for (const side of [p.host, p.guest]) {
    const notes = side.messages.value.filter((m) => m.note).map((m) => m.note);
    assert.deepEqual(notes, ["joined", "away", "back", "code_changed"]);
  }
  // A new handshake gives a new safety code.
  assert.deepEqual(p.host.safetyCode.value, p.guest.safetyCode.value);
});

Deno.test("[chat] a tampered envelope stops the chat with a warning", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  await quiet(p.wires.frames);
  p.wires.setTamper((payload) =>
    payload.slice(0, -4) + (payload.endsWith("AAAA") ? "BBBB" : "AAAA")
  );
  p.host.send("tampered");
  await until(() => p.guest.failure.value !== null, "failure on the receiving side");
  assert.equal(shown(p.guest).length, 0);
  assert.equal(p.guest.canSend.value, false);
});

Deno.test("[chat] without a link secret the conversation still works", async () => {
  using p = pair(null);
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.guest.send("no secret");
  await until(() => shown(p.host).length === 1, "message");
});

Deno.test("[chat] a peer that sends verified does not mark this side verified", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.guest.confirmVerified();
  assert.equal(p.guest.verified.value, true, "the guest's own comparison");
  await until(() => p.host.peerVerified.value, "the guest's claim reaches the host");
  assert.equal(p.host.verified.value, false, "only the host's person can verify the host side");
  p.host.confirmVerified();
  assert.equal(p.host.verified.value, true);
});

Deno.test("[chat] the server sees one signal type, and envelopes only in size buckets", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.host.setTyping(true);
  p.host.send("a short message");
  p.host.send("x".repeat(200));
  await until(() => shown(p.guest).length === 2, "messages");
  const signals = p.wires.frames.filter((frame) => frame.startsWith("{"));
  assert.ok(signals.length > 0);
  for (const frame of signals) assert.equal(JSON.parse(frame).type, SEALED_SIGNAL);
  const lengths = new Set(p.wires.frames.filter((f) => !f.startsWith("{")).map((f) => f.length));
  assert.equal(lengths.size, 2, `typing, acks and short messages share one size: ${[...lengths]}`);
});

Deno.test("[chat] envelopes the relay reorders show in the sender's order", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  await quiet(p.wires.frames);
  const held: string[] = [];
  p.wires.setTamper((payload) => (held.push(payload), null));
  // Each send is a message and a "stopped typing" notice. Sent one after the other: seals run
  // concurrently, so two sends at once could already leave the sender in either order.
  p.host.send("first");
  await until(() => held.length === 2, "the first message held");
  p.host.send("second");
  await until(() => held.length === 4, "the second message held");
  p.wires.setTamper(null);
  for (const payload of [...held.slice(2), ...held.slice(0, 2)]) p.wires.deliverToGuest(payload);
  await until(() => shown(p.guest).filter((m) => m.text).length === 2, "both arrive");
  assert.deepEqual(shown(p.guest).map((m) => [m.text, m.late ?? false]), [
    ["first", true],
    ["second", false],
  ]);
});

Deno.test("[chat] a dropped message leaves a note, fails on its sender's side and Retry delivers it", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  // What follows the handshake ("held" both ways) must be through before the relay starts dropping.
  await quiet(p.wires.frames);
  p.wires.setTamper(() => null);
  const before = p.wires.frames.length;
  p.host.send("dropped by the relay");
  await until(() => p.wires.frames.length === before + 2, "the message and its typing notice");
  p.wires.setTamper(null);
  p.host.send("this one arrives");
  await until(() => shown(p.guest).length === 2, "the second and a note for the first");
  assert.equal(shown(p.guest)[0].to, 0, "a placeholder for message 0");
  assert.equal(shown(p.guest)[1].text, "this one arrives");
  const lost = shown(p.host)[0];
  await until(() => shown(p.host)[0].delivery === "failed", "the lost one reads failed");
  assert.equal(shown(p.host)[1].delivery, "delivered");
  p.host.retry(lost.id);
  await until(() => shown(p.host)[0].delivery === "delivered", "delivered on retry");
  assert.deepEqual(shown(p.guest).map((m) => m.text), [
    "dropped by the relay",
    "this one arrives",
  ]);
});

Deno.test("[chat] after a reload the other device sends its copy back, shown as restored", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.host.send("from the host");
  p.guest.send("from the guest");
  await until(() => shown(p.host).every((m) => !m.mine || m.delivery === "delivered"), "acked");
  await until(() => shown(p.host).length === 2, "both on the host");

  p.wires.setPresence(false);
  p.reloadGuest();
  assert.equal(shown(p.guest).length, 0, "a reload keeps nothing");
  p.wires.setPresence(true);
  await until(() => shown(p.guest).length === 2, "the restored copy");
  const restored = shown(p.guest).map((m) => [m.text, m.mine, m.restored ?? false]);
  assert.deepEqual(restored, [["from the host", false, true], ["from the guest", true, true]]);
  assert.equal(p.guest.messages.value[0].note, "restored");
  // The host held messages: it takes nothing back, and the restored ones are not sent on again.
  p.guest.send("after the reload");
  await until(() => shown(p.host).length === 3, "the new message on the host");
  assert.equal(shown(p.host).filter((m) => m.restored).length, 0);
});

Deno.test("[chat] what the quicker side sends before the other finishes the handshake is not lost", async () => {
  using p = pair();
  p.wires.setPresence(true);
  await until(() => p.host.secured.value && p.guest.secured.value, "secured");
  p.host.send("from the host");
  await until(() => shown(p.host)[0]?.delivery === "delivered", "acked");

  p.wires.setPresence(false);
  p.reloadGuest();
  p.wires.delaySignalsToHost(50);
  p.wires.setPresence(true);
  // The guest's "I hold nothing" reaches the host while its last handshake step is still on the way.
  await until(() => shown(p.guest).length === 1, "the restored copy");
  assert.equal(shown(p.guest)[0].text, "from the host");
});
