/**
 * The primitives in pure JavaScript, for pages without Web Crypto (plain HTTP on a LAN address).
 * Loaded on demand by primitives.ts, so it is a chunk of its own that secure pages never fetch.
 * The noble libraries are audited and widely used; P-256 is fetched on demand again, only when
 * the other side's browser cannot do X25519.
 *
 * Secret keys are raw bytes here (JavaScript has no non-extractable keys): they live in this
 * tab's memory only, like every key in the module, and are never stored.
 */
import { x25519 } from "@noble/curves/ed25519.js";
import { gcm } from "@noble/ciphers/aes.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { Bytes } from "./encoding.ts";
import type { KeyAlgorithm, Primitives, SecretKey } from "./primitives.ts";

export const FALLBACK_NOTICE = "This page came over plain HTTP, so your browser withholds its " +
  "built-in encryption and the chat uses a JavaScript implementation of the same ciphers. The " +
  "conversation is still sealed end to end, against the server and anyone listening on the " +
  "network. But someone who can alter traffic on this network could swap the page itself. For " +
  "full protection, open the https address.";

const raw = (key: SecretKey) => key as Bytes;
const derive = (base: SecretKey, salt: Bytes, info: Bytes, length = 32) =>
  Promise.resolve(hkdf(sha256, raw(base), salt, info, length));
const p256 = () => import("@noble/curves/nist.js").then((m) => m.p256);

export const noblePrimitives: Primitives = {
  algorithms: () => Promise.resolve<KeyAlgorithm[]>(["X25519", "P-256"]),
  async generate(algorithm) {
    if (algorithm === "X25519") {
      const { secretKey, publicKey } = x25519.keygen();
      return { privateKey: secretKey, publicKey };
    }
    const curve = await p256();
    const privateKey = curve.utils.randomSecretKey();
    return { privateKey, publicKey: curve.getPublicKey(privateKey, false) };
  },
  async agree(algorithm, privateKey, peerPublic) {
    if (algorithm === "X25519") return x25519.getSharedSecret(raw(privateKey), peerPublic) as Bytes;
    // noble returns the compressed point (prefix byte, then x); ECDH's secret is x alone.
    return (await p256()).getSharedSecret(raw(privateKey), peerPublic).subarray(1) as Bytes;
  },
  sha256: (data) => Promise.resolve(sha256(data)),
  hkdfBase: (ikm) => Promise.resolve(ikm.slice()),
  deriveAesKey: derive,
  deriveHmacKey: derive,
  deriveBytes: derive,
  hmac: (key, data) => Promise.resolve(hmac(sha256, raw(key), data)),
  seal: (key, iv, aad, plain) => Promise.resolve(gcm(raw(key), iv, aad).encrypt(plain)),
  open: (key, iv, aad, sealed) =>
    Promise.resolve().then(() => gcm(raw(key), iv, aad).decrypt(sealed)),
};
