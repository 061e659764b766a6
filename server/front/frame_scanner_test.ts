import assert from "node:assert/strict";
import { FrameScanner, REFUSE_BINARY, REFUSE_TOO_BIG } from "./frame_scanner.ts";

/** A masked client frame header (payload bytes are not needed to test the scanner). */
function header(opcode: number, length: number, fin = true): Uint8Array {
  const first = (fin ? 0x80 : 0) | opcode;
  const mask = [1, 2, 3, 4];
  if (length < 126) return new Uint8Array([first, 0x80 | length, ...mask]);
  if (length < 65536) {
    return new Uint8Array([first, 0x80 | 126, length >> 8, length & 0xff, ...mask]);
  }
  const bytes = [first, 0x80 | 127, 0, 0, 0, 0];
  bytes.push((length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  return new Uint8Array([...bytes, ...mask]);
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) (out.set(part, at), at += part.length);
  return out;
};

Deno.test("[front] text frames up to 64 KiB pass, payloads and headers across reads", () => {
  const scanner = new FrameScanner(64 * 1024);
  const stream = concat(
    header(1, 5),
    new Uint8Array(5),
    header(1, 64 * 1024),
    new Uint8Array(64 * 1024),
    header(9, 4),
    new Uint8Array(4),
  );
  // One byte at a time: every header straddles reads.
  for (let i = 0; i < stream.length; i += 7) {
    assert.equal(scanner.scan(stream.subarray(i, i + 7)), 0);
  }
});

Deno.test("[front] a message over 64 KiB is refused from its header alone", () => {
  assert.equal(new FrameScanner(64 * 1024).scan(header(1, 64 * 1024 + 1)), REFUSE_TOO_BIG);
  assert.equal(new FrameScanner(64 * 1024).scan(header(1, 60 * 1024 * 1024)), REFUSE_TOO_BIG);
  // Fragments count together: 40 KiB + 40 KiB is one 80 KiB message.
  const scanner = new FrameScanner(64 * 1024);
  assert.equal(scanner.scan(concat(header(1, 40 * 1024, false), new Uint8Array(40 * 1024))), 0);
  assert.equal(scanner.scan(header(0, 40 * 1024)), REFUSE_TOO_BIG);
});

Deno.test("[front] a binary frame is refused, of any size", () => {
  assert.equal(new FrameScanner(64 * 1024).scan(header(2, 3)), REFUSE_BINARY);
  assert.equal(new FrameScanner(64 * 1024).scan(header(2, 1 << 20)), REFUSE_BINARY);
});
