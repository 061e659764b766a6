/**
 * What travels inside a sealed envelope between the two browsers. The server never sees these:
 * it relays only the envelope (ciphertext). Validated on receipt like every other wire.
 */
import { randomBytes } from "../crypto/bytes.ts";
import { toBase64Url } from "../crypto/encoding.ts";

export type ChatWire =
  | { t: "msg"; id: string; text: string; at: number }
  | { t: "del"; id: string }
  | { t: "ack"; of: "msg" | "del"; id: string }
  | { t: "typing"; on: boolean }
  | { t: "verified" };

const ID = /^[A-Za-z0-9_-]{8,40}$/;

/** The message if `value` is a well-formed chat wire message within `charLimit`, else null. */
export function parseWire(value: unknown, charLimit: number): ChatWire | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  switch (v.t) {
    case "msg":
      return typeof v.id === "string" && ID.test(v.id) && typeof v.text === "string" &&
          v.text.length > 0 && [...v.text].length <= charLimit && typeof v.at === "number"
        ? { t: "msg", id: v.id, text: v.text, at: v.at }
        : null;
    case "del":
      return typeof v.id === "string" && ID.test(v.id) ? { t: "del", id: v.id } : null;
    case "ack":
      return typeof v.id === "string" && ID.test(v.id) && (v.of === "msg" || v.of === "del")
        ? { t: "ack", of: v.of, id: v.id }
        : null;
    case "typing":
      return typeof v.on === "boolean" ? { t: "typing", on: v.on } : null;
    case "verified":
      return { t: "verified" };
    default:
      return null;
  }
}

/** A random message id (96 bits, base64url). */
export function newMessageId(): string {
  return toBase64Url(randomBytes(12));
}

/** Characters as a person counts them (code points), which is what the cap limits. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
