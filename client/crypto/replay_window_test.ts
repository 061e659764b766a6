import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import { ReplayWindow } from "./replay_window.ts";

const reason = (r: string) => (e: unknown) => e instanceof CryptoCheckError && e.reason === r;

Deno.test("[crypto] replay window accepts each number once, in any order within the window", () => {
  const w = new ReplayWindow(64);
  for (const seq of [0, 2, 1, 5, 3, 4]) w.accept(seq);
  for (const seq of [0, 1, 2, 3, 4, 5]) assert.throws(() => w.check(seq), reason("replay"));
  w.accept(70);
  w.accept(7); // 70 - 7 = 63: the oldest number still in the window
  assert.throws(() => w.accept(7), reason("replay"));
  assert.throws(() => w.accept(70), reason("replay"));
  assert.throws(() => w.accept(6), reason("too_old")); // 70 - 6 = 64: just outside
  w.accept(69);
  assert.throws(() => w.accept(69), reason("replay"));
});

Deno.test("[crypto] replay window forgets exactly at its edge after a large jump", () => {
  const w = new ReplayWindow(4);
  w.accept(0);
  w.accept(10);
  w.accept(7);
  assert.throws(() => w.accept(7), reason("replay"));
  assert.throws(() => w.accept(6), reason("too_old"));
  w.accept(11);
  assert.throws(() => w.accept(7), reason("too_old"));
  w.accept(8);
  w.accept(9);
  assert.throws(() => w.accept(10), reason("replay"));
});
