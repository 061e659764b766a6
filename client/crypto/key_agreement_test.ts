import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import {
  generateEphemeral,
  KEY_ALGORITHMS,
  PUBLIC_KEY_BYTES,
  sharedSecret,
  supportedAlgorithms,
} from "./key_agreement.ts";

const badKey = (e: unknown) => e instanceof CryptoCheckError && e.reason === "bad_public_key";

Deno.test("[crypto] both algorithms agree on a shared secret and keep private keys sealed", async () => {
  assert.deepEqual(await supportedAlgorithms(), ["X25519", "P-256"]);
  for (const algorithm of KEY_ALGORITHMS) {
    const a = await generateEphemeral(algorithm);
    const b = await generateEphemeral(algorithm);
    assert.equal(a.publicKey.length, PUBLIC_KEY_BYTES[algorithm]);
    assert.equal((a.privateKey as CryptoKey).extractable, false);
    const ab = await sharedSecret(a, b.publicKey);
    assert.equal(ab.length, 32);
    assert.deepEqual(ab, await sharedSecret(b, a.publicKey));
  }
});

Deno.test("[crypto] bad peer public keys are rejected with bad_public_key", async () => {
  const x = await generateEphemeral("X25519");
  const p = await generateEphemeral("P-256");
  await assert.rejects(sharedSecret(x, new Uint8Array(31)), badKey);
  await assert.rejects(sharedSecret(x, new Uint8Array(32)), badKey, "low-order point");
  await assert.rejects(sharedSecret(x, p.publicKey), badKey, "algorithm mix-up");
  const offCurve = p.publicKey.slice();
  offCurve[10] ^= 1;
  await assert.rejects(sharedSecret(p, offCurve), badKey);
  const compressed = p.publicKey.slice();
  compressed[0] = 0x02;
  await assert.rejects(sharedSecret(p, compressed), badKey);
});
