import assert from "node:assert/strict";
import { safetyCodeFrom } from "./safety_code.ts";
import { SAFETY_SYMBOLS } from "./safety_words.ts";

Deno.test("[crypto] safety symbol list has 64 distinct emoji and 64 distinct words", () => {
  assert.equal(SAFETY_SYMBOLS.length, 64);
  assert.equal(new Set(SAFETY_SYMBOLS.map(([e]) => e)).size, 64);
  assert.equal(new Set(SAFETY_SYMBOLS.map(([, w]) => w.toLowerCase())).size, 64);
});

Deno.test("[crypto] safety code renders 7 symbols and 3 groups of 4 digits, deterministically", () => {
  const zero = safetyCodeFrom(new Uint8Array(32));
  assert.deepEqual(zero.words, Array(7).fill("Dog"));
  assert.equal(zero.digits, "0000 0000 0000");
  const ones = safetyCodeFrom(new Uint8Array(32).fill(0xff));
  assert.deepEqual(ones.words, Array(7).fill("Pin"));
  assert.deepEqual(ones.emoji, Array(7).fill("📌"));
  // 0xffffffff = 4294967295 -> last four digits 7295.
  assert.equal(ones.digits, "7295 7295 7295");
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const code = safetyCodeFrom(bytes);
  assert.match(code.digits, /^\d{4} \d{4} \d{4}$/);
  assert.deepEqual(safetyCodeFrom(bytes.slice()), code);
  bytes[0] ^= 0x80;
  assert.notDeepEqual(safetyCodeFrom(bytes).words, code.words);
  assert.throws(() => safetyCodeFrom(new Uint8Array(17)), RangeError);
});
