import assert from "node:assert/strict";
import { FILE_CHUNK_BYTES } from "./file_wire.ts";
import { parseWire } from "./wire.ts";

const ID = "file-id-1234";
const SHA = "A".repeat(43);

Deno.test("[files] file wires are checked like every other wire", () => {
  const offer = { t: "file", id: ID, name: "a.png", size: 10, mime: "image/png", sha: SHA };
  assert.deepEqual(parseWire(offer, 200), offer);
  assert.deepEqual(parseWire({ ...offer, p: "000" }, 200), offer, "the filler is dropped");
  const chunk = { t: "chunk", id: ID, i: 0, d: "AAAA_-" };
  assert.deepEqual(parseWire(chunk, 200), chunk);
  assert.deepEqual(parseWire({ t: "fack", id: ID, got: 3 }, 200), { t: "fack", id: ID, got: 3 });
  assert.deepEqual(parseWire({ t: "fend", id: ID, why: "cancel" }, 200), {
    t: "fend",
    id: ID,
    why: "cancel",
  });
});

Deno.test("[files] malformed or oversized file wires are dropped", () => {
  const offer = { t: "file", id: ID, name: "a", size: 1, mime: "", sha: SHA };
  const bad: unknown[] = [
    { ...offer, id: "short" },
    { ...offer, name: "" },
    { ...offer, name: "x".repeat(256) },
    { ...offer, size: -1 },
    { ...offer, size: 1.5 },
    { ...offer, mime: "text/html; charset=x" },
    { ...offer, sha: "A".repeat(42) },
    { t: "chunk", id: ID, i: -1, d: "" },
    { t: "chunk", id: ID, i: 0, d: "AA+A" },
    { t: "chunk", id: ID, i: 0, d: "A".repeat(Math.ceil(FILE_CHUNK_BYTES / 3) * 4 + 1) },
    { t: "fack", id: ID, got: "3" },
    { t: "fend", id: ID, why: "explode" },
  ];
  for (const wire of bad) {
    assert.equal(parseWire(wire, 200), null, JSON.stringify(wire).slice(0, 80));
  }
});
