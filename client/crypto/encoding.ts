/** Text encodings shared by the crypto module: base64url (no padding), UTF-8 and JSON. */
import { CryptoCheckError } from "./errors.ts";

/** Bytes backed by a plain ArrayBuffer, the only kind WebCrypto's types accept. */
export type Bytes = Uint8Array<ArrayBuffer>;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The platform's own base64 (Uint8Array.prototype.toBase64 and Uint8Array.fromBase64, in Chromium
 * since 140 and in Deno): several times faster on file chunks than the string loops below, which
 * stay for browsers without it. Both give exactly the same results.
 */
type NativeBase64 = {
  toBase64(options: { alphabet: "base64url"; omitPadding: true }): string;
};
type NativeBase64Constructor = {
  fromBase64(
    text: string,
    options: { alphabet: "base64url"; lastChunkHandling: "strict" },
  ): Uint8Array<ArrayBuffer>;
};
const native = typeof (Uint8Array.prototype as Partial<NativeBase64>).toBase64 === "function" &&
  typeof (Uint8Array as unknown as Partial<NativeBase64Constructor>).fromBase64 === "function";

/** Bytes -> unpadded base64url (RFC 4648 section 5), safe in URLs, fragments and JSON. */
export function toBase64Url(bytes: Uint8Array): string {
  return native
    ? (bytes as unknown as NativeBase64).toBase64({ alphabet: "base64url", omitPadding: true })
    : portableBase64Url.encode(bytes);
}

/**
 * Unpadded base64url -> bytes. Throws `CryptoCheckError("malformed")` on anything else, including
 * padding, whitespace and non-canonical trailing bits, so one value has exactly one spelling.
 */
export function fromBase64Url(text: string): Bytes {
  if (typeof text !== "string" || !BASE64URL.test(text) || text.length % 4 === 1) {
    throw new CryptoCheckError("malformed", "base64url");
  }
  if (!native) return portableBase64Url.decode(text);
  try {
    // "strict" refuses non-zero trailing bits: the one-spelling rule, without re-encoding.
    return (Uint8Array as unknown as NativeBase64Constructor).fromBase64(text + padding(text), {
      alphabet: "base64url",
      lastChunkHandling: "strict",
    });
  } catch {
    throw new CryptoCheckError("malformed", "base64url");
  }
}

const padding = (text: string) => "=".repeat((4 - text.length % 4) % 4);

/** The string-loop coding for browsers without the native one (exported for its test). */
export const portableBase64Url = {
  encode(bytes: Uint8Array): string {
    let binary = "";
    // Chunked so large envelopes never hit the argument limit of String.fromCharCode.
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  },
  /** `text` already passed fromBase64Url's alphabet and length checks. */
  decode(text: string): Bytes {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + padding(text));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (portableBase64Url.encode(bytes) !== text) {
      throw new CryptoCheckError("malformed", "base64url");
    }
    return bytes;
  },
};

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8(text: string): Bytes {
  // TextEncoder always allocates a fresh ArrayBuffer; its declared type is merely wider.
  return encoder.encode(text) as Bytes;
}

/** JSON value -> UTF-8 bytes. Throws TypeError for values JSON cannot carry (e.g. undefined). */
export function encodeJson(value: unknown): Bytes {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("Not JSON");
  return utf8(text);
}

/** UTF-8 bytes -> JSON value; throws `CryptoCheckError("malformed")` on bad UTF-8 or JSON. */
export function decodeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    throw new CryptoCheckError("malformed", "JSON");
  }
}
