import assert from "node:assert/strict";
import { percentile, Samples, summarize } from "./stats.ts";

Deno.test("[bench] percentile uses the nearest rank", () => {
  const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 50), 50);
  assert.equal(percentile(sorted, 99), 99);
  assert.equal(percentile(sorted, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

Deno.test("[bench] summarize sorts numerically and reports max and mean", () => {
  const samples = new Samples();
  for (const value of [10, 2, 30, 4]) samples.push(value);
  const summary = summarize(samples.values());
  assert.deepEqual(summary, { count: 4, p50: 4, p99: 30, max: 30, mean: 11.5 });
});

Deno.test("[bench] Samples grows past its initial capacity", () => {
  const samples = new Samples();
  for (let i = 0; i < 5000; i++) samples.push(i);
  assert.equal(samples.length, 5000);
  assert.equal(samples.values()[4999], 4999);
});
