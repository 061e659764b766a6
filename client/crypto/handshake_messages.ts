/**
 * Handshake messages on the wire (JSON; the caller seals them with `SignalSealer`) and the checks
 * applied to each field on receipt. Byte fields are base64url strings.
 *
 *   host  -> guest  {kind:"commit",   hid, alg, commitment}   commitment = H(alg, hid, hostPub, nonce)
 *   guest -> host   {kind:"need_alg", hid, alg}               only if the guest cannot do `alg`
 *   guest -> host   {kind:"key",      hid, alg, pub}          guest public key
 *   host  -> guest  {kind:"reveal",   hid, pub, nonce, confirm}   host key, nonce, host confirmation
 *   guest -> host   {kind:"confirm",  hid, confirm}           guest confirmation
 *   guest -> host   {kind:"hello",    hid:""}                 (client/chat/keys.ts) "send me a commit"
 */
import { CryptoCheckError } from "./errors.ts";
import { type Bytes, fromBase64Url } from "./encoding.ts";
import { isKeyAlgorithm, type KeyAlgorithm } from "./key_agreement.ts";

export type HandshakeMessage = { kind: string; hid: string; [k: string]: unknown };

const HID = /^[A-Za-z0-9_-]{0,64}$/;

/** Validates the envelope shape of a value that should be a handshake message. */
export function parseHandshakeMessage(value: unknown): HandshakeMessage {
  const v = value as Record<string, unknown> | null;
  if (
    typeof v !== "object" || v === null || Array.isArray(v) ||
    typeof v.kind !== "string" || typeof v.hid !== "string" || !HID.test(v.hid)
  ) {
    throw new CryptoCheckError("malformed", "message");
  }
  return v as HandshakeMessage;
}

/** A base64url field of exactly `length` bytes (or any length when omitted). */
export function bytesField(message: HandshakeMessage, name: string, length?: number): Bytes {
  const raw = message[name];
  if (typeof raw !== "string") throw new CryptoCheckError("malformed", name);
  const bytes = fromBase64Url(raw);
  if (length !== undefined && bytes.length !== length) {
    throw new CryptoCheckError("malformed", name);
  }
  return bytes;
}

export function algorithmField(message: HandshakeMessage): KeyAlgorithm {
  if (!isKeyAlgorithm(message.alg)) {
    throw new CryptoCheckError("unsupported_algorithm", String(message.alg));
  }
  return message.alg;
}
