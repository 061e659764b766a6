/**
 * A file's wires, sealed in the chat's envelopes like every other (wire.ts): the offer names the
 * file and carries its SHA-256, chunks carry its bytes in order of their index, the receiver
 * acknowledges how many leading chunks it holds (the sender's window and its progress), and either
 * side ends a transfer (cancelled, refused, failed its check, or deleted by its sender).
 */
import { FILE_BYTES } from "../../contract/limits.ts";
import { isCount, isId } from "./wire_values.ts";

/** Bytes per chunk: base64 in a padded envelope, it stays in the largest padding bucket. */
export const FILE_CHUNK_BYTES = 32_768;
const MAX_NAME_CHARS = 255;
const MAX_CHUNKS = Math.ceil(FILE_BYTES.max / FILE_CHUNK_BYTES);

export type FileEnd = "cancel" | "refused" | "bad" | "delete";
const ENDS: ReadonlySet<unknown> = new Set(["cancel", "refused", "bad", "delete"]);

export type FileWire =
  | { t: "file"; id: string; name: string; size: number; mime: string; sha: string }
  | { t: "chunk"; id: string; i: number; d: string }
  | { t: "fack"; id: string; got: number }
  | { t: "fend"; id: string; why: FileEnd };

export const FILE_WIRE_TYPES: ReadonlySet<unknown> = new Set(["file", "chunk", "fack", "fend"]);

const SHA256 = /^[A-Za-z0-9_-]{43}$/;
/** A MIME type as a file wire may carry it (no parameters). */
export const MIME = /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const isIndex = (value: unknown): value is number => isCount(value) && value <= MAX_CHUNKS;

/** The file wire if `v` is a well-formed one, else null. */
export function parseFileWire(v: Record<string, unknown>): FileWire | null {
  if (!isId(v.id)) return null;
  const id = v.id;
  switch (v.t) {
    case "file":
      return typeof v.name === "string" && v.name.length > 0 && v.name.length <= MAX_NAME_CHARS &&
          typeof v.size === "number" && Number.isSafeInteger(v.size) && v.size >= 0 &&
          typeof v.mime === "string" && (v.mime === "" || MIME.test(v.mime)) &&
          typeof v.sha === "string" && SHA256.test(v.sha)
        ? { t: "file", id, name: v.name, size: v.size, mime: v.mime, sha: v.sha }
        : null;
    case "chunk":
      // Length first: the pattern is not run on anything longer than a chunk can be.
      return isIndex(v.i) && typeof v.d === "string" &&
          v.d.length <= Math.ceil(FILE_CHUNK_BYTES / 3) * 4 && BASE64URL.test(v.d)
        ? { t: "chunk", id, i: v.i, d: v.d }
        : null;
    case "fack":
      return isIndex(v.got) ? { t: "fack", id, got: v.got } : null;
    case "fend":
      return ENDS.has(v.why) ? { t: "fend", id, why: v.why as FileEnd } : null;
    default:
      return null;
  }
}
