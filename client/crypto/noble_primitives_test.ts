import assert from "node:assert/strict";
import { randomBytes } from "./bytes.ts";
import { CryptoCheckError } from "./errors.ts";
import { generateEphemeral, sharedSecret } from "./key_agreement.ts";
import { noblePrimitives as noble } from "./noble_primitives.ts";
import {
  type KeyAlgorithm,
  type Primitives,
  usePrimitives,
  webCryptoPrimitives as web,
} from "./primitives.ts";
import { connectedPair } from "./testing.ts";

const none = new Uint8Array(0);

Deno.test("[crypto] noble and Web Crypto give the same hashes, HKDF and HMAC bytes", async () => {
  const ikm = randomBytes(32);
  const salt = randomBytes(16);
  const info = randomBytes(20);
  const data = randomBytes(100);
  assert.deepEqual(await noble.sha256(data), await web.sha256(data));
  const [n, w] = [await noble.hkdfBase(ikm), await web.hkdfBase(ikm)];
  assert.deepEqual(
    await noble.deriveBytes(n, salt, info, 32),
    await web.deriveBytes(w, salt, info, 32),
  );
  const [nh, wh] = [
    await noble.deriveHmacKey(n, salt, info),
    await web.deriveHmacKey(w, salt, info),
  ];
  assert.deepEqual(await noble.hmac(nh, data), await web.hmac(wh, data));
});

Deno.test("[crypto] AES-GCM sealed by one implementation opens with the other, tamper fails in both", async () => {
  const ikm = randomBytes(32);
  const [n, w] = [await noble.hkdfBase(ikm), await web.hkdfBase(ikm)];
  const nk = await noble.deriveAesKey(n, none, none);
  const wk = await web.deriveAesKey(w, none, none);
  const iv = randomBytes(12);
  const aad = randomBytes(9);
  const plain = randomBytes(50);
  const fromNoble = await noble.seal(nk, iv, aad, plain);
  assert.deepEqual(fromNoble, await web.seal(wk, iv, aad, plain));
  assert.deepEqual(await web.open(wk, iv, aad, fromNoble), plain);
  assert.deepEqual(await noble.open(nk, iv, aad, fromNoble), plain);
  const tampered = fromNoble.slice();
  tampered[3] ^= 1;
  for (const p of [noble, web] as Primitives[]) {
    await assert.rejects(p.open(p === noble ? nk : wk, iv, aad, tampered));
    await assert.rejects(p.open(p === noble ? nk : wk, iv, randomBytes(9), fromNoble));
  }
});

Deno.test("[crypto] noble and Web Crypto agree on X25519 and P-256 secrets across implementations", async () => {
  for (const algorithm of ["X25519", "P-256"] as KeyAlgorithm[]) {
    const a = await noble.generate(algorithm);
    const b = await web.generate(algorithm);
    assert.equal(a.publicKey.length, b.publicKey.length);
    assert.deepEqual(
      await noble.agree(algorithm, a.privateKey, b.publicKey),
      await web.agree(algorithm, b.privateKey, a.publicKey),
    );
  }
});

Deno.test("[crypto] the noble fallback runs the whole handshake and rejects bad keys", async () => {
  usePrimitives(noble);
  try {
    for (const algorithms of [undefined, ["P-256"] as KeyAlgorithm[]]) {
      const { hostSide, guestSide } = await connectedPair({
        hostAlgorithms: algorithms,
        guestAlgorithms: algorithms,
      });
      assert.deepEqual(hostSide.safetyCode, guestSide.safetyCode);
      const envelope = await hostSide.channel.seal({ text: "hi" });
      assert.deepEqual(await guestSide.channel.open(envelope), { text: "hi" });
    }
    const badKey = (e: unknown) => e instanceof CryptoCheckError && e.reason === "bad_public_key";
    const x = await generateEphemeral("X25519");
    await assert.rejects(sharedSecret(x, new Uint8Array(32)), badKey, "low-order point");
    const p = await generateEphemeral("P-256");
    const offCurve = p.publicKey.slice();
    offCurve[10] ^= 1;
    await assert.rejects(sharedSecret(p, offCurve), badKey);
  } finally {
    usePrimitives(web);
  }
});
