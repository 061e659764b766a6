/**
 * The safety code two people compare (by voice or side by side) to rule out a man in the middle.
 * Both renderings come from the handshake's safety bytes, which are bound to the transcript:
 * - 7 symbols from a list of 64 (42 bits), shown as `emoji` with matching `words`;
 * - `digits`: 3 groups of 4 decimal digits (about 40 bits), e.g. "0482 9917 3065".
 * Either one alone is enough to compare; a substituted key changes both.
 */
import { SAFETY_SYMBOLS } from "./safety_words.ts";

export interface SafetyCode {
  emoji: string[];
  words: string[];
  digits: string;
}

const SAFETY_SYMBOL_COUNT = 7;

/** Renders at least 18 safety bytes: bytes 0-5 pick the symbols, bytes 6-17 the digit groups. */
export function safetyCodeFrom(bytes: Uint8Array): SafetyCode {
  if (bytes.length < 18) throw new RangeError("Needs 18 bytes");
  // 48 bits as a BigInt; the top 42 give seven 6-bit symbol indexes.
  let bits = 0n;
  for (const b of bytes.subarray(0, 6)) bits = (bits << 8n) | BigInt(b);
  const indexes = Array.from(
    { length: SAFETY_SYMBOL_COUNT },
    (_, i) => Number((bits >> BigInt(42 - 6 * i)) & 63n),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // 2^32 mod 10^4 is tiny next to 2^32, so the modulo bias is negligible (< 10^-5).
  const groups = [6, 10, 14].map((at) => String(view.getUint32(at) % 10_000).padStart(4, "0"));
  return {
    emoji: indexes.map((i) => SAFETY_SYMBOLS[i][0]),
    words: indexes.map((i) => SAFETY_SYMBOLS[i][1]),
    digits: groups.join(" "),
  };
}
