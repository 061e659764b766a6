import assert from "node:assert/strict";
import { computed, type Signal, signal } from "@preact/signals";
import { deserialize, hasSignals } from "./deserialize.ts";
import { escapeForScript, serialize, SerializeError } from "./serialize.ts";

const roundTrip = (value: unknown) => deserialize(serialize(value), signal);

Deno.test("[pages] serializer: plain JSON values survive unchanged", () => {
  const value = { a: 1, b: "two", c: [true, false, null], d: { e: { f: [1.5, -2] } } };
  assert.deepEqual(roundTrip(value), value);
  assert.equal(serialize(value), JSON.stringify(value));
});

Deno.test("[pages] serializer: dates, undefined, special numbers and bigints survive", () => {
  const when = new Date("2026-05-04T03:02:01.000Z");
  const out = roundTrip({
    when,
    bad: new Date(NaN),
    nothing: undefined,
    numbers: [NaN, Infinity, -Infinity, -0],
    big: 12345678901234567890n,
  }) as Record<string, unknown>;
  assert.ok(out.when instanceof Date);
  assert.equal((out.when as Date).toISOString(), when.toISOString());
  assert.ok(Number.isNaN((out.bad as Date).getTime()));
  assert.ok("nothing" in out && out.nothing === undefined);
  const [nan, inf, negInf, negZero] = out.numbers as number[];
  assert.ok(Number.isNaN(nan));
  assert.equal(inf, Infinity);
  assert.equal(negInf, -Infinity);
  assert.ok(Object.is(negZero, -0));
  assert.equal(out.big, 12345678901234567890n);
});

Deno.test("[pages] serializer: signals come back as signals holding nested values", () => {
  const text = serialize({ count: signal(3), when: signal(new Date(0)), sum: computed(() => 5) });
  assert.ok(hasSignals(text));
  const out = deserialize(text, signal) as Record<string, Signal<unknown>>;
  assert.equal(out.count.value, 3);
  out.count.value = 4;
  assert.equal(out.count.peek(), 4);
  assert.ok(out.when.value instanceof Date);
  assert.equal(out.sum.value, 5);
  assert.equal(hasSignals(serialize({ count: 3, label: '{"$s":' })), false);
});

Deno.test("[pages] serializer: maps, sets, byte arrays and $-keys survive", () => {
  const out = roundTrip({
    map: new Map<unknown, unknown>([["a", 1], [2, { b: new Date(5) }]]),
    set: new Set(["x", "y"]),
    bytes: new Uint8Array([0, 1, 254, 255]),
    tricky: { $d: "not a date", $s: 1, other: 2 },
    holes: [1, , 3],
  }) as Record<string, unknown>;
  const map = out.map as Map<unknown, unknown>;
  assert.equal(map.get("a"), 1);
  assert.ok((map.get(2) as { b: Date }).b instanceof Date);
  assert.deepEqual([...(out.set as Set<string>)], ["x", "y"]);
  assert.deepEqual([...(out.bytes as Uint8Array)], [0, 1, 254, 255]);
  assert.deepEqual(out.tricky, { $d: "not a date", $s: 1, other: 2 });
  assert.deepEqual(out.holes, [1, undefined, 3]);
});

Deno.test("[pages] serializer: what cannot cross is refused with the prop's path", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => serialize({ onClick: () => {} }), /props\.onClick is a function/);
  assert.throws(() => serialize(cyclic), /props\.self refers back to itself/);
  assert.throws(() => serialize({ when: new URL("http://x") }), /props\.when is a URL instance/);
  assert.throws(() => serialize({ list: [Symbol("s")] }), SerializeError);
  // The same object twice (no cycle) is fine.
  const shared = { a: 1 };
  assert.deepEqual(roundTrip({ x: shared, y: shared }), { x: { a: 1 }, y: { a: 1 } });
});

Deno.test("[pages] serializer: output is safe inside a script element", () => {
  const json = escapeForScript(serialize({ text: "</script><!-- \u2028 <b>" }));
  assert.ok(!json.includes("<"));
  assert.deepEqual(deserialize(json), { text: "</script><!-- \u2028 <b>" });
});
