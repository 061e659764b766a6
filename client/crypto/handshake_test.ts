import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import { toBase64Url } from "./encoding.ts";
import { generateEphemeral } from "./key_agreement.ts";
import { Handshake } from "./handshake.ts";
import type { HandshakeMessage } from "./handshake_messages.ts";
import { newLinkSecret, parseLinkSecret } from "./link_secret.ts";
import { SignalSealer } from "./signal_sealer.ts";
import { connectedPair, exchange, makePair } from "./testing.ts";

const reason = (r: string) => (e: unknown) => e instanceof CryptoCheckError && e.reason === r;

async function roundTrips(
  host: { channel: { seal(v: unknown): Promise<string>; open(e: string): Promise<unknown> } },
  guest: typeof host,
) {
  assert.deepEqual(await guest.channel.open(await host.channel.seal({ text: "hi guest" })), {
    text: "hi guest",
  });
  assert.deepEqual(await host.channel.open(await guest.channel.seal(["hi", "host", 1])), [
    "hi",
    "host",
    1,
  ]);
}

Deno.test("[crypto] X25519 handshake agrees on keys and safety code; round trips both ways", async () => {
  const { host, guest, kinds, hostSide, guestSide } = await connectedPair();
  assert.deepEqual(kinds, ["commit", "key", "reveal", "confirm"]);
  assert.equal(host.done && guest.done, true);
  assert.equal(host.algorithm, "X25519");
  assert.equal(guest.algorithm, "X25519");
  assert.equal(host.id, guest.id);
  assert.match(host.id, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(hostSide.safetyCode, guestSide.safetyCode);
  assert.equal(hostSide.safetyCode.emoji.length, 7);
  assert.match(hostSide.safetyCode.digits, /^\d{4} \d{4} \d{4}$/);
  await roundTrips(hostSide, guestSide);
});

Deno.test("[crypto] a guest without X25519 asks for P-256 and the host re-commits", async () => {
  const { host, guest, kinds, hostSide, guestSide } = await connectedPair({
    hostAlgorithms: ["X25519", "P-256"],
    guestAlgorithms: ["P-256"],
  });
  assert.deepEqual(kinds, ["commit", "need_alg", "commit", "key", "reveal", "confirm"]);
  assert.equal(host.algorithm, "P-256");
  assert.equal(guest.algorithm, "P-256");
  assert.deepEqual(hostSide.safetyCode, guestSide.safetyCode);
  await roundTrips(hostSide, guestSide);
});

Deno.test("[crypto] forced P-256 on both sides completes directly", async () => {
  const { host, kinds, hostSide, guestSide } = await connectedPair({
    hostAlgorithms: ["P-256"],
    guestAlgorithms: ["P-256"],
  });
  assert.deepEqual(kinds, ["commit", "key", "reveal", "confirm"]);
  assert.equal(host.algorithm, "P-256");
  assert.deepEqual(hostSide.safetyCode, guestSide.safetyCode);
  await roundTrips(hostSide, guestSide);
});

Deno.test("[crypto] without a link secret the whole flow works through the unsealed form", async () => {
  const { host, guest, token } = await makePair({ linkSecret: null });
  const sealers: [SignalSealer, SignalSealer] = [
    await SignalSealer.create(token, null),
    await SignalSealer.create(token, null),
  ];
  assert.equal(sealers[0].sealed, false);
  await exchange(host, guest, { sealers });
  assert.deepEqual(host.result().safetyCode, guest.result().safetyCode);
  await roundTrips(host.result(), guest.result());
});

Deno.test("[crypto] with a link secret the handshake runs through sealed signals", async () => {
  const { host, guest, token, linkSecret } = await makePair();
  const sealers: [SignalSealer, SignalSealer] = [
    await SignalSealer.create(token, linkSecret),
    await SignalSealer.create(token, linkSecret),
  ];
  await exchange(host, guest, { sealers });
  await roundTrips(host.result(), guest.result());
});

Deno.test("[crypto] different link secrets fail key confirmation, never a silent success", async () => {
  const { host } = await makePair({ token: "t" });
  const { guest } = await makePair({ token: "t" }); // its own, different link secret
  await assert.rejects(exchange(host, guest), reason("confirmation_failed"));
  assert.equal(guest.done, false);
  assert.equal(guest.failed, true);
  assert.throws(() => guest.result(), /not finished/);
});

Deno.test("[crypto] commitment mismatch: the host reveals a key other than the committed one", async () => {
  const { host, guest } = await makePair();
  const other = await generateEphemeral("X25519");
  const tamper = (m: HandshakeMessage) =>
    m.kind === "reveal" ? { ...m, pub: toBase64Url(other.publicKey) } : m;
  await assert.rejects(exchange(host, guest, { tamper }), reason("commitment_mismatch"));
  assert.equal(guest.failed, true);
  await assert.rejects(
    guest.receive({ kind: "reveal", hid: guest.id }),
    reason("handshake_failed"),
  );

  const again = await makePair();
  const nonce = (m: HandshakeMessage) =>
    m.kind === "reveal" ? { ...m, nonce: toBase64Url(new Uint8Array(32)) } : m;
  await assert.rejects(
    exchange(again.host, again.guest, { tamper: nonce }),
    reason("commitment_mismatch"),
  );
});

Deno.test("[crypto] a guest key substituted in transit fails confirmation", async () => {
  const { host, guest } = await makePair({ linkSecret: null });
  const mallory = await generateEphemeral("X25519");
  const tamper = (m: HandshakeMessage) =>
    m.kind === "key" ? { ...m, pub: toBase64Url(mallory.publicKey) } : m;
  await assert.rejects(exchange(host, guest, { tamper }), reason("confirmation_failed"));
});

Deno.test("[crypto] a man in the middle running two handshakes gets different safety codes", async () => {
  // No link secret: the relay itself plays guest to the host and host to the guest.
  const host = await Handshake.create({ role: "host", token: "t", linkSecret: null });
  const guest = await Handshake.create({ role: "guest", token: "t", linkSecret: null });
  const asGuest = await Handshake.create({ role: "guest", token: "t", linkSecret: null });
  const asHost = await Handshake.create({ role: "host", token: "t", linkSecret: null });
  await exchange(host, asGuest);
  await exchange(asHost, guest);
  const hostCode = host.result().safetyCode;
  const guestCode = guest.result().safetyCode;
  assert.deepEqual(hostCode, asGuest.result().safetyCode);
  assert.deepEqual(guestCode, asHost.result().safetyCode);
  assert.notDeepEqual(hostCode.emoji, guestCode.emoji);
  assert.notEqual(hostCode.digits, guestCode.digits);
  // And the real ends cannot read each other: the channels are keyed differently.
  await assert.rejects(
    guest.result().channel.open(await host.result().channel.seal("x")),
    reason("decrypt_failed"),
  );
});

Deno.test("[crypto] a man in the middle without the link secret cannot finish either side", async () => {
  const secret = parseLinkSecret(newLinkSecret());
  const host = await Handshake.create({ role: "host", token: "t", linkSecret: secret });
  const asGuest = await Handshake.create({ role: "guest", token: "t", linkSecret: null });
  await assert.rejects(exchange(host, asGuest), reason("confirmation_failed"));
  assert.equal(host.done, false);
});

Deno.test("[crypto] out-of-order, foreign and malformed handshake messages are refused", async () => {
  const { host, guest } = await makePair();
  await assert.rejects(guest.receive({ kind: "reveal", hid: "x" }), reason("unexpected_message"));
  const [commit] = await host.start();
  await assert.rejects(host.start(), /only be called once/);
  // A message of another attempt does not harm this one.
  await assert.rejects(host.receive({ kind: "key", hid: "other" }), reason("unexpected_message"));
  assert.equal(host.failed, false);
  await assert.rejects(guest.receive({ ...commit, commitment: "AAAA" }), reason("malformed"));
  await assert.rejects(guest.receive(null as never), reason("malformed"));

  const fresh = await makePair();
  const [c] = await fresh.host.start();
  const [key] = await fresh.guest.receive(c);
  await assert.rejects(fresh.host.receive({ ...key, pub: "AAAA" }), reason("malformed"));
  await assert.rejects(fresh.host.receive(key), reason("handshake_failed"));
});

Deno.test("[crypto] algorithm negotiation is refused when no common algorithm exists", async () => {
  const { host, guest } = await makePair({
    hostAlgorithms: ["X25519"],
    guestAlgorithms: ["P-256"],
  });
  await assert.rejects(exchange(host, guest), reason("unsupported_algorithm"));
  const two = await makePair({ guestAlgorithms: ["P-256"] });
  // A forged second need_alg (after the host already switched) is refused too.
  const [c1] = await two.host.start();
  const [need] = await two.guest.receive(c1);
  await two.host.receive(need);
  await assert.rejects(two.host.receive(need), reason("unsupported_algorithm"));
});

Deno.test("[crypto] a finished handshake stays usable when a message is replayed", async () => {
  const { host, guest } = await makePair();
  const [commit] = await host.start();
  const [key] = await guest.receive(commit);
  const [reveal] = await host.receive(key);
  const [confirm] = await guest.receive(reveal);
  await host.receive(confirm);
  assert.deepEqual(await host.receive(confirm), []);
  assert.deepEqual(await guest.receive(reveal), []);
  assert.deepEqual(await guest.receive(commit), []);
  assert.equal(host.done && guest.done, true);
  await roundTrips(host.result(), guest.result());
});

Deno.test("[crypto] a fresh guest can adopt the commit's hid before receiving it", async () => {
  const { host, guest, token, linkSecret } = await makePair();
  const [commit] = await host.start();
  guest.adoptId(commit.hid);
  assert.equal(guest.id, host.id);
  assert.throws(() => guest.adoptId("again"), /fresh guest/);
  assert.throws(() => host.adoptId("x"), /fresh guest/);
  const other = await Handshake.create({ role: "guest", token, linkSecret });
  other.adoptId("another-hid");
  await assert.rejects(other.receive(commit), reason("unexpected_message"));
  const [key] = await guest.receive(commit);
  const [reveal] = await host.receive(key);
  await host.receive((await guest.receive(reveal))[0]);
  await roundTrips(host.result(), guest.result());
});
