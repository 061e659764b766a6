/** HKDF-SHA-256 and SHA-256 wrappers: every key in the module is derived through here. */
import { type Bytes, utf8 } from "./encoding.ts";

export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

/** Imports input keying material (a shared secret or link secret) for HKDF; never extractable. */
export function hkdfBase(ikm: Bytes): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveKey", "deriveBits"]);
}

function params(salt: Bytes, info: Bytes): HkdfParams {
  return { name: "HKDF", hash: "SHA-256", salt, info };
}

/** A non-extractable AES-256-GCM key for `info`. */
export function deriveAesKey(
  base: CryptoKey,
  salt: Bytes,
  info: Bytes,
): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    params(salt, info),
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** A non-extractable HMAC-SHA-256 key for `info`. */
export function deriveHmacKey(
  base: CryptoKey,
  salt: Bytes,
  info: Bytes,
): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    params(salt, info),
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

/** `length` raw bytes for `info` (used for the safety code). */
export async function deriveBytes(
  base: CryptoKey,
  salt: Bytes,
  info: Bytes,
  length: number,
): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.deriveBits(params(salt, info), base, length * 8));
}

export async function hmac(
  key: CryptoKey,
  data: Bytes,
): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/** Domain-separation labels, versioned so a future format change cannot collide with this one. */
export const label = (name: string): Bytes => utf8(`chatorbit/v1/${name}`);
