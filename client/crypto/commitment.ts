/**
 * Commit-before-reveal for the host's public key.
 *
 * Why: the safety code is short (about 40 bits), so a man in the middle who could pick its keys
 * after seeing both real ones could grind through key pairs until the two codes it produces
 * collide. Making the host commit to SHA-256(key, nonce) first, and the guest send its key before
 * the host reveals, forces every party to fix its key before learning the other's: an attacker
 * then matches the codes only by luck (about 2^-40 per attempt).
 *
 * The 32-byte random nonce keeps the commitment from revealing the key (hiding); SHA-256 keeps the
 * host from opening it to another key (binding).
 */
import { CryptoCheckError } from "./errors.ts";
import type { Bytes } from "./encoding.ts";
import { bytesEqual, framed } from "./bytes.ts";
import { label, sha256 } from "./kdf.ts";
import type { KeyAlgorithm } from "./key_agreement.ts";

export const COMMIT_NONCE_BYTES = 32;

export function commitTo(
  algorithm: KeyAlgorithm,
  hid: string,
  publicKey: Uint8Array,
  nonce: Uint8Array,
): Promise<Bytes> {
  return sha256(framed(label("commit"), algorithm, hid, publicKey, nonce));
}

/** Throws `CryptoCheckError("commitment_mismatch")` unless (key, nonce) opens `commitment`. */
export async function verifyCommitment(
  commitment: Uint8Array,
  algorithm: KeyAlgorithm,
  hid: string,
  publicKey: Uint8Array,
  nonce: Uint8Array,
): Promise<void> {
  const expected = await commitTo(algorithm, hid, publicKey, nonce);
  if (!bytesEqual(commitment, expected)) {
    throw new CryptoCheckError("commitment_mismatch");
  }
}
