/** Random credentials and the one-way hashes under which they are stored. */
import { createHash } from "node:crypto";

/** `bytes` random bytes as unpadded base64url (32 bytes -> 43 URL-safe characters, 256 bits). */
export function randomSecret(bytes = 32): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  let binary = "";
  for (const byte of buffer) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * SHA-256 of `purpose` and `value`, hex. The purpose keeps a token's hash from ever equalling a
 * seat credential's. Secrets here carry 256 random bits, so a fast hash is enough: there is nothing
 * to brute-force (client addresses are low-entropy, but they are not credentials).
 */
export function hashSecret(purpose: string, value: string): string {
  return createHash("sha256").update(purpose).update("\0").update(value).digest("hex");
}
