/** The path choice without WebRTC (Deno has none): the relay once keys exist, "connecting" before. */
import assert from "node:assert/strict";
import { PathChoice } from "./path.ts";

function choice() {
  return new PathChoice([], false, {
    signal: () => {},
    message: () => {},
    serially: (task) => void task(),
  });
}

Deno.test("[chat] without a data channel the path reads relayed once the keys are there", () => {
  const path = choice();
  assert.equal(path.path.value, "connecting");
  path.adopt("hid-1");
  assert.equal(path.path.value, "connecting");
  path.secured();
  assert.equal(path.path.value, "relayed");
  assert.equal(path.send("data"), false, "no link: the caller relays");
  path.away();
  assert.equal(path.path.value, "connecting");
});

Deno.test("[chat] a stopped chat keeps its last path reading", () => {
  const path = choice();
  path.adopt("hid-1");
  path.secured();
  path.close();
  assert.equal(path.path.value, "relayed");
});
