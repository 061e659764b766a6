import assert from "node:assert/strict";
import { SecureChannel } from "../crypto/secure_channel.ts";
import { SignalSealer } from "../crypto/signal_sealer.ts";
import { padded } from "./padding.ts";
import { parseWire } from "./wire.ts";

async function channel(): Promise<SecureChannel> {
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  return new SecureChannel({ token: "tok", role: "host", sendKey: key, receiveKey: key });
}

const message = (text: string) => ({
  t: "msg",
  id: "abcdefgh12",
  text,
  at: 1,
  e: "epochid1",
  n: 0,
});

Deno.test("[chat] envelopes of different lengths within a bucket have one ciphertext length", async () => {
  const sealer = await channel();
  const lengths = new Set<number>();
  for (
    const wire of [
      { t: "typing", on: true },
      { t: "ack", of: "msg", id: "abcdefgh12" },
      message("ok"),
      message("a longer message of some words, still short"),
    ]
  ) {
    lengths.add((await sealer.seal(padded(wire))).length);
  }
  assert.equal(lengths.size, 1, "typing, acks and short messages look alike");
  const mid = new Set<number>();
  for (const text of ["x".repeat(300), "y".repeat(900), "ä".repeat(400)]) {
    mid.add((await sealer.seal(padded(message(text)))).length);
  }
  assert.equal(mid.size, 1, "messages of 300-900 bytes share the 1024-byte bucket");
  assert.ok([...mid][0] > [...lengths][0]);
});

Deno.test("[chat] padding lands exactly on a bucket and is ignored after opening", () => {
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
  assert.equal(encode(padded(message("hi"))), 256);
  assert.equal(encode(padded(message("€".repeat(100)))), 1024, "counted in UTF-8 bytes");
  assert.equal(encode(padded(message("x".repeat(5000)))), 16384);
  assert.deepEqual(parseWire(padded(message("hi")), 200), message("hi"));
  const huge = message("x".repeat(60_000));
  assert.equal(padded(huge), huge, "past the largest bucket nothing is added");
});

Deno.test("[chat] sealed signals of different kinds share one length", async () => {
  const sealer = await SignalSealer.create("tok", crypto.getRandomValues(new Uint8Array(32)));
  const sizes = new Set<number>();
  for (
    const value of [{ kind: "hello", hid: "" }, {
      kind: "candidate",
      hid: "h1",
      candidate: { candidate: "candidate:1 1 udp 2122260223 192.168.1.2 50000 typ host" },
    }]
  ) {
    sizes.add((await sealer.seal(padded(value))).length);
  }
  assert.equal(sizes.size, 1);
});
