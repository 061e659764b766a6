/** Small byte helpers: concatenation, unambiguous framing, constant-time comparison. */
import { type Bytes, utf8 } from "./encoding.ts";

export function concatBytes(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Encodes each field as a 4-byte big-endian length followed by its bytes. Hashing or MACing
 * framed fields means no two different field lists can produce the same input ("ab"+"c" vs
 * "a"+"bc"), which plain concatenation would allow.
 */
export function framed(...fields: (Uint8Array | string)[]): Bytes {
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    const bytes = typeof field === "string" ? utf8(field) : field;
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length);
    parts.push(length, bytes);
  }
  return concatBytes(...parts);
}

/** Compares without an early exit, so timing does not reveal how many leading bytes matched. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function randomBytes(length: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(length));
}
