import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import { fromBase64Url, toBase64Url } from "./encoding.ts";
import { SecureChannel } from "./secure_channel.ts";
import { connectedPair } from "./testing.ts";

const reason = (r: string) => (e: unknown) => e instanceof CryptoCheckError && e.reason === r;

function aesKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
}

/** Two ends of one session keyed directly (no handshake), with an optional window size. */
async function channels(window?: number, token = "tok") {
  const h2g = await aesKey();
  const g2h = await aesKey();
  return {
    host: new SecureChannel({ token, role: "host", sendKey: h2g, receiveKey: g2h, window }),
    guest: new SecureChannel({ token, role: "guest", sendKey: g2h, receiveKey: h2g, window }),
    h2g,
    g2h,
  };
}

function flip(envelope: string, at: number): string {
  const bytes = fromBase64Url(envelope);
  bytes[at < 0 ? bytes.length + at : at] ^= 1;
  return toBase64Url(bytes);
}

Deno.test("[crypto] secure channel round-trips JSON both ways with unique envelopes", async () => {
  const { host, guest } = await channels();
  const a = await host.seal({ type: "message", text: "héllo" });
  const b = await host.seal({ type: "message", text: "héllo" });
  assert.notEqual(a, b, "each seal uses a new sequence number, so a new nonce");
  assert.match(a, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(await guest.open(a), { type: "message", text: "héllo" });
  assert.deepEqual(await guest.open(b), { type: "message", text: "héllo" });
  assert.equal(await host.open(await guest.seal("pong")), "pong");
  assert.equal(await host.open(await guest.seal(null)), null);
});

Deno.test("[crypto] secure channel envelope layout: version, direction, big-endian sequence", async () => {
  const { host, guest } = await channels();
  await host.seal(1);
  const second = fromBase64Url(await host.seal("x"));
  assert.deepEqual([...second.subarray(0, 10)], [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(second.length, 10 + 3 + 16); // header + '"x"' + GCM tag
  assert.equal(fromBase64Url(await guest.seal(0))[1], 2);
});

Deno.test("[crypto] secure channel rejects tampering anywhere in the envelope", async () => {
  const { host, guest } = await channels();
  const envelope = await host.seal({ text: "secret" });
  // Sequence, ciphertext and tag bytes: all authenticated (the header via associated data).
  for (const at of [8, 9, 10, 12, -1, -16]) {
    await assert.rejects(guest.open(flip(envelope, at)), reason("decrypt_failed"), `byte ${at}`);
  }
  await assert.rejects(guest.open(flip(envelope, 0)), reason("malformed"));
  await assert.rejects(guest.open(flip(envelope, 2)), reason("malformed")); // seq beyond 2^53
  await assert.rejects(guest.open(flip(envelope, 1)), reason("wrong_direction"));
  await assert.rejects(guest.open(envelope.slice(0, 20)), reason("malformed"));
  await assert.rejects(guest.open("not base64!"), reason("malformed"));
  // The untouched envelope still opens: failed attempts did not burn its sequence number.
  assert.deepEqual(await guest.open(envelope), { text: "secret" });
});

Deno.test("[crypto] secure channel rejects a wrong key, another session and a reflected envelope", async () => {
  const { host } = await channels();
  const stranger = await channels();
  const envelope = await host.seal("hi");
  await assert.rejects(stranger.guest.open(envelope), reason("decrypt_failed"));
  await assert.rejects(host.open(envelope), reason("wrong_direction"));
  const { h2g, g2h } = await channels();
  const a = new SecureChannel({ token: "a", role: "host", sendKey: h2g, receiveKey: g2h });
  const b = new SecureChannel({ token: "b", role: "guest", sendKey: g2h, receiveKey: h2g });
  await assert.rejects(b.open(await a.seal("hi")), reason("decrypt_failed"));
});

Deno.test("[crypto] wrong key: a third party's handshake cannot open the channel", async () => {
  const one = await connectedPair({ token: "same" });
  const two = await connectedPair({ token: "same", linkSecret: one.linkSecret });
  const envelope = await one.hostSide.channel.seal("for one only");
  await assert.rejects(two.guestSide.channel.open(envelope), reason("decrypt_failed"));
  assert.equal(await one.guestSide.channel.open(envelope), "for one only");
});

Deno.test("[crypto] secure channel rejects replays, also of concurrent duplicates", async () => {
  const { host, guest } = await channels();
  const envelope = await host.seal("once");
  assert.equal(await guest.open(envelope), "once");
  await assert.rejects(guest.open(envelope), reason("replay"));
  const next = await host.seal("twice?");
  const results = await Promise.allSettled([guest.open(next), guest.open(next)]);
  assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
});

Deno.test("[crypto] reordering within the window is accepted once; beyond it rejected", async () => {
  const { host, guest } = await channels(64);
  const sent = [];
  for (let i = 0; i < 70; i++) sent.push(await host.seal(i));
  // Deliver 1..64 first, then the late 0 (64 behind: too old) and a late 5 (within the window).
  assert.equal(await guest.open(sent[3]), 3);
  assert.equal(await guest.open(sent[1]), 1);
  assert.equal(await guest.open(sent[2]), 2);
  assert.equal(await guest.open(sent[64]), 64);
  assert.equal(await guest.open(sent[5]), 5);
  await assert.rejects(guest.open(sent[5]), reason("replay"));
  await assert.rejects(guest.open(sent[0]), reason("too_old"));
  assert.equal(await guest.open(sent[69]), 69);
  await assert.rejects(guest.open(sent[4]), reason("too_old"));
  assert.equal(await guest.open(sent[6]), 6);
});
