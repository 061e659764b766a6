/**
 * The one error type of the crypto module. Every failed check (bad tag, wrong key, replay,
 * commitment mismatch, ...) throws it with a machine-readable `reason`, so callers can show a
 * precise message and never fall back to plaintext by accident.
 */
export type CryptoCheckReason =
  /** Input is not the expected shape: bad base64url, bad JSON, wrong field types or lengths. */
  | "malformed"
  /** AES-GCM authentication failed: tampered data or the wrong key / link secret. */
  | "decrypt_failed"
  /** A sealed value arrived where an unsealed one was expected, or the other way round. */
  | "sealing_mismatch"
  /** An envelope sent in the reader's own direction (reflected back by the relay). */
  | "wrong_direction"
  /** An envelope whose sequence number was already accepted. */
  | "replay"
  /** An envelope older than the sliding replay window. */
  | "too_old"
  /** A handshake message that does not fit the current step or role. */
  | "unexpected_message"
  /** Neither side can agree on a key-agreement algorithm. */
  | "unsupported_algorithm"
  /** The peer's public key cannot be imported or yields an invalid shared secret. */
  | "bad_public_key"
  /** The host revealed a key or nonce that does not match its earlier commitment. */
  | "commitment_mismatch"
  /** The peer's key-confirmation value is wrong: different keys, transcript or link secret. */
  | "confirmation_failed"
  /** Neither Web Crypto nor the fallback chunk can run in this page. */
  | "unavailable"
  /** The handshake already failed a check; start a fresh one. */
  | "handshake_failed";

/** The message is the reason, plus a word on where it failed (kept short: it ships to browsers). */
export class CryptoCheckError extends Error {
  constructor(readonly reason: CryptoCheckReason, where?: string) {
    super(where ? `${reason}: ${where}` : reason);
    this.name = "CryptoCheckError";
  }
}
