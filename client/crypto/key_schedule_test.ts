import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import { randomBytes } from "./bytes.ts";
import { commitTo, verifyCommitment } from "./commitment.ts";
import { deriveSessionKeys } from "./key_schedule.ts";
import { P } from "./primitives.ts";
import { transcriptHash } from "./transcript.ts";

const FIELDS = {
  token: "tok",
  hid: "h1",
  algorithm: "X25519" as const,
  hostPublic: new Uint8Array(32).fill(1),
  guestPublic: new Uint8Array(32).fill(2),
  nonce: new Uint8Array(32).fill(3),
};

Deno.test("[crypto] transcript hash changes with every field, including swapped roles", async () => {
  const base = await transcriptHash(FIELDS);
  const variants = [
    { token: "tok2" },
    { hid: "h2" },
    { algorithm: "P-256" as const },
    { hostPublic: FIELDS.guestPublic, guestPublic: FIELDS.hostPublic },
    { nonce: new Uint8Array(32) },
  ];
  for (const change of variants) {
    assert.notDeepEqual(await transcriptHash({ ...FIELDS, ...change }), base);
  }
  assert.deepEqual(await transcriptHash({ ...FIELDS }), base);
});

Deno.test("[crypto] key schedule: outputs bound to transcript and link secret, roles distinct", async () => {
  const shared = randomBytes(32);
  const transcript = await transcriptHash(FIELDS);
  const secret = randomBytes(32);
  const a = await deriveSessionKeys(shared, secret, transcript);
  const b = await deriveSessionKeys(shared, secret, transcript);
  assert.deepEqual(a.confirm, b.confirm);
  assert.deepEqual(a.safety, b.safety);
  assert.notDeepEqual(a.confirm.host, a.confirm.guest);
  assert.equal((a.hostToGuest as CryptoKey).extractable, false);
  const otherTranscript = await deriveSessionKeys(
    shared,
    secret,
    await transcriptHash({ ...FIELDS, hid: "h2" }),
  );
  const noSecret = await deriveSessionKeys(shared, null, transcript);
  for (const other of [otherTranscript, noSecret]) {
    assert.notDeepEqual(other.confirm.host, a.confirm.host);
    assert.notDeepEqual(other.safety, a.safety);
  }
  // The two direction keys differ: a host->guest envelope does not open under guest->host.
  const iv = new Uint8Array(12);
  const none = new Uint8Array(0);
  const ct = await P.seal(a.hostToGuest, iv, none, new Uint8Array(1));
  await assert.rejects(P.open(a.guestToHost, iv, none, ct));
  await P.open(b.hostToGuest, iv, none, ct);
});

Deno.test("[crypto] commitment opens only with the committed key, nonce, algorithm and hid", async () => {
  const key = randomBytes(32);
  const nonce = randomBytes(32);
  const c = await commitTo("X25519", "h", key, nonce);
  await verifyCommitment(c, "X25519", "h", key, nonce);
  const mismatch = (e: unknown) =>
    e instanceof CryptoCheckError && e.reason === "commitment_mismatch";
  await assert.rejects(verifyCommitment(c, "X25519", "h", randomBytes(32), nonce), mismatch);
  await assert.rejects(verifyCommitment(c, "X25519", "h", key, randomBytes(32)), mismatch);
  await assert.rejects(verifyCommitment(c, "P-256", "h", key, nonce), mismatch);
  await assert.rejects(verifyCommitment(c, "X25519", "g", key, nonce), mismatch);
});
