/**
 * The one place that says which implementation runs the crypto primitives: the browser's Web
 * Crypto where it exists, else the audited pure-JavaScript noble libraries (noble_primitives.ts),
 * fetched as a separate chunk only then. Plain-HTTP pages on a LAN address are not a secure
 * context, and browsers hide `crypto.subtle` there; `crypto.getRandomValues` stays available
 * everywhere, which is why random bytes (bytes.ts) need no provider.
 *
 * Both implementations produce identical bytes for identical inputs, so the wire format does not
 * depend on which one either side runs. Secret keys are opaque handles held in memory only:
 * non-extractable CryptoKeys with Web Crypto, raw bytes with the fallback.
 */
import { signal } from "@preact/signals";
import type { Bytes } from "./encoding.ts";
import { CryptoCheckError } from "./errors.ts";

export type KeyAlgorithm = "X25519" | "P-256";
export type SecretKey = CryptoKey | Bytes;

export interface Primitives {
  /** Key agreement algorithms this implementation can run, best first. */
  algorithms(): Promise<KeyAlgorithm[]>;
  /** A fresh ephemeral pair; the raw public key is 32 bytes (X25519) or 65 (P-256, 0x04|x|y). */
  generate(algorithm: KeyAlgorithm): Promise<{ privateKey: SecretKey; publicKey: Bytes }>;
  /** The 32-byte ECDH secret (P-256: the x coordinate). Throws on a key it cannot use. */
  agree(algorithm: KeyAlgorithm, privateKey: SecretKey, peerPublic: Bytes): Promise<Bytes>;
  sha256(data: Bytes): Promise<Bytes>;
  /** Input keying material for HKDF-SHA-256 (derive* below take what this returns). */
  hkdfBase(ikm: Bytes): Promise<SecretKey>;
  /** HKDF-SHA-256 output of 32 bytes used as an AES-256-GCM key. */
  deriveAesKey(base: SecretKey, salt: Bytes, info: Bytes): Promise<SecretKey>;
  /** HKDF-SHA-256 output of 32 bytes used as an HMAC-SHA-256 key. */
  deriveHmacKey(base: SecretKey, salt: Bytes, info: Bytes): Promise<SecretKey>;
  /** `length` bytes of HKDF-SHA-256 output. */
  deriveBytes(base: SecretKey, salt: Bytes, info: Bytes, length: number): Promise<Bytes>;
  hmac(key: SecretKey, data: Bytes): Promise<Bytes>;
  /** AES-256-GCM: ciphertext followed by the 16-byte tag. */
  seal(key: SecretKey, iv: Bytes, aad: Bytes, plain: Bytes): Promise<Bytes>;
  /** Throws when the tag does not verify. */
  open(key: SecretKey, iv: Bytes, aad: Bytes, sealed: Bytes): Promise<Bytes>;
}

const subtle = () => crypto.subtle;
const bytes = async (result: Promise<ArrayBuffer>) => new Uint8Array(await result);
const hkdf = (salt: Bytes, info: Bytes): HkdfParams => ({
  name: "HKDF",
  hash: "SHA-256",
  salt,
  info,
});
const ecdh = (algorithm: KeyAlgorithm) =>
  algorithm === "X25519" ? { name: algorithm } : { name: "ECDH", namedCurve: algorithm };
const gcm = (iv: Bytes, additionalData: Bytes) => ({ name: "AES-GCM", iv, additionalData });
let probe: Promise<KeyAlgorithm[]> | undefined;

/** Web Crypto. Every derived or generated secret key is non-extractable. */
export const webCryptoPrimitives: Primitives = {
  // X25519 is probed once by generating a key: older engines have only P-256.
  algorithms: () =>
    probe ??= subtle().generateKey(ecdh("X25519"), false, ["deriveBits"]).then(
      () => ["X25519", "P-256"],
      () => ["P-256"],
    ),
  async generate(algorithm) {
    const pair = await subtle().generateKey(ecdh(algorithm), false, [
      "deriveBits",
    ]) as CryptoKeyPair;
    // Public keys of generated pairs are always exportable, whatever `extractable` says.
    return {
      privateKey: pair.privateKey,
      publicKey: await bytes(subtle().exportKey("raw", pair.publicKey)),
    };
  },
  async agree(algorithm, privateKey, peerPublic) {
    const params = ecdh(algorithm);
    const peer = await subtle().importKey("raw", peerPublic, params, true, []);
    return bytes(
      subtle().deriveBits({ name: params.name, public: peer }, privateKey as CryptoKey, 256),
    );
  },
  sha256: (data) => bytes(subtle().digest("SHA-256", data)),
  hkdfBase: (ikm) => subtle().importKey("raw", ikm, "HKDF", false, ["deriveKey", "deriveBits"]),
  deriveAesKey: (base, salt, info) =>
    subtle().deriveKey(
      hkdf(salt, info),
      base as CryptoKey,
      { name: "AES-GCM", length: 256 },
      false,
      [
        "encrypt",
        "decrypt",
      ],
    ),
  deriveHmacKey: (base, salt, info) =>
    subtle().deriveKey(
      hkdf(salt, info),
      base as CryptoKey,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      false,
      ["sign"],
    ),
  deriveBytes: (base, salt, info, length) =>
    bytes(subtle().deriveBits(hkdf(salt, info), base as CryptoKey, length * 8)),
  hmac: (key, data) => bytes(subtle().sign("HMAC", key as CryptoKey, data)),
  seal: (key, iv, aad, plain) => bytes(subtle().encrypt(gcm(iv, aad), key as CryptoKey, plain)),
  open: (key, iv, aad, sealed) => bytes(subtle().decrypt(gcm(iv, aad), key as CryptoKey, sealed)),
};

/** The implementation in use; read it after `primitivesReady()` resolved. */
export let P: Primitives = webCryptoPrimitives;

/**
 * Set, with what it means in words, once the page runs the fallback: the room shows it. Its text
 * ships in the fallback chunk, so secure pages never download it.
 */
export const fallbackNotice = signal<string | null>(null);

let loading: Promise<unknown> | undefined;

/**
 * Resolves once `P` can be used: at once with Web Crypto, after fetching the fallback chunk
 * without it. Rejects with CryptoCheckError("unavailable") when neither can run here.
 */
export function primitivesReady(): Promise<unknown> {
  return loading ??= globalThis.crypto?.subtle ? Promise.resolve() : import(
    "./noble_primitives.ts"
  ).then((m) => {
    P = m.noblePrimitives;
    fallbackNotice.value = m.FALLBACK_NOTICE;
  }, () => {
    loading = undefined; // A failed fetch may succeed on the next attempt.
    throw new CryptoCheckError("unavailable");
  });
}

/** Tests only: run the given implementation. */
export function usePrimitives(primitives: Primitives): void {
  P = primitives;
  loading = Promise.resolve();
}
