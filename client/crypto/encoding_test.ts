import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import {
  decodeJson,
  encodeJson,
  fromBase64Url,
  portableBase64Url,
  toBase64Url,
} from "./encoding.ts";
import { bytesEqual, framed } from "./bytes.ts";

Deno.test("[crypto] base64url round-trips every length and byte value", () => {
  for (let length = 0; length < 40; length++) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    const text = toBase64Url(bytes);
    assert.match(text, /^[A-Za-z0-9_-]*$/);
    assert.deepEqual(fromBase64Url(text), bytes);
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(fromBase64Url(toBase64Url(all)), all);
  assert.deepEqual(fromBase64Url(toBase64Url(new Uint8Array(100_000))), new Uint8Array(100_000));
});

Deno.test("[crypto] fromBase64Url rejects padding, foreign characters and non-canonical input", () => {
  for (const bad of ["AA==", "A", "ab+c", "ab/c", "a b", "AB\n", "AB", "AAB"]) {
    // "AB" and "AAB" decode but carry non-zero trailing bits, so they are not canonical.
    assert.throws(() => fromBase64Url(bad), CryptoCheckError, bad);
  }
  assert.deepEqual(fromBase64Url("AA"), new Uint8Array([0]));
});

Deno.test("[crypto] JSON helpers round-trip and reject garbage as malformed", () => {
  assert.deepEqual(decodeJson(encodeJson({ a: [1, "é"] })), { a: [1, "é"] });
  assert.throws(() => decodeJson(new Uint8Array([0xff])), CryptoCheckError);
  assert.throws(() => decodeJson(new TextEncoder().encode("{")), CryptoCheckError);
  assert.throws(() => encodeJson(undefined), TypeError);
});

Deno.test("[crypto] framing separates fields that plain concatenation would merge", () => {
  assert.equal(bytesEqual(framed("ab", "c"), framed("a", "bc")), false);
  assert.equal(bytesEqual(framed("ab", "c"), framed("ab", "c")), true);
  assert.equal(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 2])), false);
});

Deno.test("[crypto] the portable base64url coding agrees with the platform's", () => {
  for (let length = 0; length < 70; length++) {
    const bytes = crypto.getRandomValues(new Uint8Array(length));
    const text = portableBase64Url.encode(bytes);
    assert.equal(text, toBase64Url(bytes));
    assert.deepEqual(portableBase64Url.decode(text), bytes);
  }
  for (const bad of ["AB", "AAB"]) {
    assert.throws(() => portableBase64Url.decode(bad), CryptoCheckError, bad);
  }
});
