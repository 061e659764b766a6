/**
 * From one ECDH shared secret to everything a session needs, via HKDF-SHA-256.
 *
 * salt = the link secret (or a fixed label for bare-token links): without the secret, even a party
 *        that somehow learned the ECDH output cannot derive the keys.
 * info = a purpose label framed with the transcript hash, so each output is bound to both public
 *        keys, the roles, the token, the handshake id and the algorithm.
 *
 * Outputs: one AES-256-GCM key per direction (a key is only ever used by one sender, so nonces
 * built from a counter never collide), a confirmation value per role (HMAC over the transcript,
 * proving the sender derived the same keys), and bytes for the safety code.
 */
import type { Bytes } from "./encoding.ts";
import { framed } from "./bytes.ts";
import { label } from "./kdf.ts";
import { P, type SecretKey } from "./primitives.ts";
import type { HandshakeRole } from "./transcript.ts";

const SAFETY_BYTES = 32;

export interface SessionKeys {
  hostToGuest: SecretKey;
  guestToHost: SecretKey;
  confirm: Record<HandshakeRole, Bytes>;
  safety: Bytes;
}

export async function deriveSessionKeys(
  sharedSecret: Bytes,
  linkSecret: Uint8Array | null,
  transcript: Bytes,
): Promise<SessionKeys> {
  const base = await P.hkdfBase(sharedSecret);
  const salt = linkSecret === null ? label("no-link-secret") : new Uint8Array(linkSecret);
  const info = (purpose: string) => framed(label(purpose), transcript);
  const confirmKey = await P.deriveHmacKey(base, salt, info("confirm"));
  const confirmFor = (role: HandshakeRole) =>
    P.hmac(confirmKey, framed(label("confirm"), role, transcript));
  return {
    hostToGuest: await P.deriveAesKey(base, salt, info("host-to-guest")),
    guestToHost: await P.deriveAesKey(base, salt, info("guest-to-host")),
    confirm: { host: await confirmFor("host"), guest: await confirmFor("guest") },
    safety: await P.deriveBytes(base, salt, info("safety-code"), SAFETY_BYTES),
  };
}
