/**
 * What travels inside a sealed envelope between the two browsers. The server never sees these:
 * it relays only the envelope (ciphertext). Validated on receipt like every other wire.
 *
 * `e` and `n` number the sender's messages: `e` is random per conversation on the sender's side
 * (a reload starts a new one at 0), `n` counts 0, 1, 2… So the receiver can put messages in the
 * sender's order and notice one that never arrived, whatever the path did. A deletion carries the
 * number of the message it removes, which may never have been sent.
 *
 * After each handshake each side says how many messages it `held`; a side that holds none (it
 * reloaded) gets the other's copy of the conversation back as `past` messages, each saying whether
 * its sender wrote it (`mine`). They are that device's copy, shown as such, never as new messages.
 */
import { randomBytes } from "../crypto/bytes.ts";
import { toBase64Url } from "../crypto/encoding.ts";
import { FILE_WIRE_TYPES, type FileWire, parseFileWire } from "./file_wire.ts";
import { hasVisibleText } from "./text_rules.ts";
import { isCount, isId } from "./wire_values.ts";

export type MessageWire = {
  t: "msg";
  id: string;
  text: string;
  at: number;
  e: string;
  n: number;
  /** The id of the message it replies to (each side shows its own copy of that one). */
  re?: string;
};

export type ChatWire =
  | MessageWire
  | { t: "del"; id: string; e: string; n: number }
  | { t: "ack"; of: "msg" | "del"; id: string }
  | { t: "typing"; on: boolean }
  | { t: "verified" }
  | { t: "held"; count: number }
  | PastWire
  | CallWire
  | FileWire;

/**
 * A call's control (client/call/): ring, answer, hang up; and whether the sender's microphone and
 * camera are on. The media itself goes on the direct link, never in envelopes.
 */
export type CallWire =
  | { t: "call"; act: CallAct; video: boolean }
  | { t: "media"; mic: boolean; cam: boolean };

export type CallAct = "ring" | "accept" | "decline" | "busy" | "hangup";
const CALL_ACTS: ReadonlySet<unknown> = new Set(["ring", "accept", "decline", "busy", "hangup"]);

/** `k` is its place in the copy: sealing is asynchronous, so they may arrive out of order. */
export type PastWire = {
  t: "past";
  id: string;
  text: string;
  at: number;
  mine: boolean;
  k: number;
};

/** The message if `value` is a well-formed chat wire message within `charLimit`, else null. */
export function parseWire(value: unknown, charLimit: number): ChatWire | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (FILE_WIRE_TYPES.has(v.t)) return parseFileWire(v);
  switch (v.t) {
    case "msg":
      return isId(v.id) && typeof v.text === "string" && hasVisibleText(v.text) &&
          charCount(v.text) <= charLimit && typeof v.at === "number" && isId(v.e) &&
          isCount(v.n) && (v.re === undefined || isId(v.re))
        ? {
          t: "msg",
          id: v.id,
          text: v.text,
          at: v.at,
          e: v.e,
          n: v.n,
          ...(v.re ? { re: v.re } : {}),
        }
        : null;
    case "del":
      return isId(v.id) && isId(v.e) && isCount(v.n)
        ? { t: "del", id: v.id, e: v.e, n: v.n }
        : null;
    case "ack":
      return isId(v.id) && (v.of === "msg" || v.of === "del")
        ? { t: "ack", of: v.of, id: v.id }
        : null;
    case "typing":
      return typeof v.on === "boolean" ? { t: "typing", on: v.on } : null;
    case "verified":
      return { t: "verified" };
    case "call":
      return CALL_ACTS.has(v.act) && typeof v.video === "boolean"
        ? { t: "call", act: v.act as CallAct, video: v.video }
        : null;
    case "media":
      return typeof v.mic === "boolean" && typeof v.cam === "boolean"
        ? { t: "media", mic: v.mic, cam: v.cam }
        : null;
    case "held":
      return isCount(v.count) ? { t: "held", count: v.count } : null;
    case "past":
      return isId(v.id) && typeof v.text === "string" && hasVisibleText(v.text) &&
          charCount(v.text) <= charLimit && typeof v.at === "number" &&
          typeof v.mine === "boolean" && isCount(v.k)
        ? { t: "past", id: v.id, text: v.text, at: v.at, mine: v.mine, k: v.k }
        : null;
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
