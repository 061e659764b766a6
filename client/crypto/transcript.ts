/**
 * The handshake transcript: everything both seats must agree on, hashed into 32 bytes.
 *
 * Fields (framed, in this order): label, session token, handshake id, algorithm,
 * "host", host public key, "guest", guest public key, the host's commitment nonce.
 *
 * The hash feeds HKDF's `info`, so every derived key, the key-confirmation values and the safety
 * code change if any field differs between the two ends: a substituted public key, a swapped role,
 * another session's token or a downgraded algorithm all end in a failed confirmation or a
 * different safety code.
 */
import type { Bytes } from "./encoding.ts";
import { framed } from "./bytes.ts";
import { label, sha256 } from "./kdf.ts";
import type { KeyAlgorithm } from "./key_agreement.ts";
import type { Role } from "../../contract/session.ts";

/** The handshake's roles are the seats'. */
export type HandshakeRole = Role;

export interface TranscriptFields {
  token: string;
  hid: string;
  algorithm: KeyAlgorithm;
  hostPublic: Uint8Array;
  guestPublic: Uint8Array;
  nonce: Uint8Array;
}

export function transcriptHash(t: TranscriptFields): Promise<Bytes> {
  return sha256(
    framed(
      label("transcript"),
      t.token,
      t.hid,
      t.algorithm,
      "host",
      t.hostPublic,
      "guest",
      t.guestPublic,
      t.nonce,
    ),
  );
}
