import assert from "node:assert/strict";
import { newLinkSecret, parseLinkSecret } from "./link_secret.ts";

Deno.test("[crypto] link secrets are 43 base64url chars, random, and parse with or without #", () => {
  const a = newLinkSecret();
  const b = newLinkSecret();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b);
  const bytes = parseLinkSecret(a);
  assert.equal(bytes?.length, 32);
  assert.deepEqual(parseLinkSecret(`#${a}`), bytes);
});

Deno.test("[crypto] parseLinkSecret returns null for empty, short, long or invalid fragments", () => {
  const good = newLinkSecret();
  for (const bad of ["", "#", "#abc", good.slice(1), `${good}A`, `${good.slice(0, 42)}+`]) {
    assert.equal(parseLinkSecret(bad), null, bad);
  }
});
