/**
 * Ephemeral Diffie-Hellman through the primitives provider: X25519 where it can, P-256 otherwise.
 * With Web Crypto private keys are non-extractable, so page script cannot read them out; only the
 * raw public key leaves this module.
 */
import { CryptoCheckError } from "./errors.ts";
import type { Bytes } from "./encoding.ts";
import { type KeyAlgorithm, P, primitivesReady, type SecretKey } from "./primitives.ts";

export type { KeyAlgorithm };

/** Preference order: X25519 is faster and has no invalid-point pitfalls. */
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["X25519", "P-256"];

/** Raw public key sizes: X25519 is 32 bytes, P-256 is an uncompressed point (0x04 || x || y). */
export const PUBLIC_KEY_BYTES: Record<KeyAlgorithm, number> = { "X25519": 32, "P-256": 65 };

export interface EphemeralKey {
  algorithm: KeyAlgorithm;
  privateKey: SecretKey;
  publicKey: Bytes;
}

export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return value === "X25519" || value === "P-256";
}

/** Algorithms this runtime supports, best first (loads the fallback first where it is needed). */
export async function supportedAlgorithms(): Promise<KeyAlgorithm[]> {
  await primitivesReady();
  return P.algorithms();
}

export async function generateEphemeral(algorithm: KeyAlgorithm): Promise<EphemeralKey> {
  return { algorithm, ...await P.generate(algorithm) };
}

/** Checks a peer's raw public key has the right size and form for `algorithm`. */
function checkPublicKey(algorithm: KeyAlgorithm, raw: Uint8Array): void {
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
  let secret: Bytes;
  try {
    secret = await P.agree(own.algorithm, own.privateKey, new Uint8Array(peerPublic));
  } catch {
    throw new CryptoCheckError("bad_public_key", "import");
  }
  if (secret.every((b) => b === 0)) {
    throw new CryptoCheckError("bad_public_key", "zero");
  }
  return secret;
}
