/**
 * Ephemeral Diffie-Hellman in WebCrypto: X25519 where the runtime has it, P-256 otherwise.
 * Private keys are generated non-extractable, so page script (or an XSS payload) cannot read them
 * out; only the raw public key leaves this module.
 */
import { CryptoCheckError } from "./errors.ts";
import type { Bytes } from "./encoding.ts";

export type KeyAlgorithm = "X25519" | "P-256";

/** Preference order: X25519 is faster and has no invalid-point pitfalls. */
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["X25519", "P-256"];

/** Raw public key sizes: X25519 is 32 bytes, P-256 is an uncompressed point (0x04 || x || y). */
export const PUBLIC_KEY_BYTES: Record<KeyAlgorithm, number> = { "X25519": 32, "P-256": 65 };

export interface EphemeralKey {
  algorithm: KeyAlgorithm;
  privateKey: CryptoKey;
  publicKey: Bytes;
}

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return value === "X25519" || value === "P-256";
}

function params(algorithm: KeyAlgorithm): EcKeyImportParams | Algorithm {
  return algorithm === "X25519" ? { name: "X25519" } : { name: "ECDH", namedCurve: "P-256" };
}

let probe: Promise<KeyAlgorithm[]> | undefined;

/** Algorithms this runtime supports, best first. Probes X25519 once by generating a key. */
export function supportedAlgorithms(): Promise<KeyAlgorithm[]> {
  probe ??= crypto.subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]).then(
    () => ["X25519", "P-256"],
    () => ["P-256"],
  );
  return probe;
}

export async function generateEphemeral(algorithm: KeyAlgorithm): Promise<EphemeralKey> {
  const pair = await crypto.subtle.generateKey(params(algorithm), false, [
    "deriveBits",
  ]) as CryptoKeyPair;
  // Public keys of generated pairs are always exportable, whatever `extractable` says.
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { algorithm, privateKey: pair.privateKey, publicKey };
}

/** Checks a peer's raw public key has the right size and form for `algorithm`. */
export function checkPublicKey(algorithm: KeyAlgorithm, raw: Uint8Array): void {
  const okPrefix = algorithm === "X25519" || raw[0] === 0x04;
  if (raw.length !== PUBLIC_KEY_BYTES[algorithm] || !okPrefix) {
    throw new CryptoCheckError("bad_public_key", "form");
  }
}

/**
 * The 32-byte ECDH shared secret with the peer's raw public key. Throws
 * `CryptoCheckError("bad_public_key")` for keys off the curve or of low order (an all-zero
 * X25519 result would let an attacker fix the secret).
 */
export async function sharedSecret(own: EphemeralKey, peerPublic: Uint8Array): Promise<Bytes> {
  checkPublicKey(own.algorithm, peerPublic);
  let bits: ArrayBuffer;
  try {
    const peer = await crypto.subtle.importKey(
      "raw",
      new Uint8Array(peerPublic),
      params(own.algorithm),
      true,
      [],
    );
    bits = await crypto.subtle.deriveBits(
      { name: own.algorithm === "X25519" ? "X25519" : "ECDH", public: peer },
      own.privateKey,
      256,
    );
  } catch {
    throw new CryptoCheckError("bad_public_key", "import");
  }
  const secret = new Uint8Array(bits);
  if (secret.every((b) => b === 0)) {
    throw new CryptoCheckError("bad_public_key", "zero");
  }
  return secret;
}
