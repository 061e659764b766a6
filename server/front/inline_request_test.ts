import assert from "node:assert/strict";
import { Hono } from "hono";
import { inlineRequest } from "./inline_request.ts";

const URL_ = "http://chat.lan:8000/api/x?y=1";
const PAIRS: [string, string][] = [
  ["Host", "chat.lan:8000"],
  ["Accept", "text/html"],
  ["X-Twice", "a"],
  ["accept", "*/*"],
  ["X-Twice", "b"],
];

Deno.test("inline request: reads as the real Request built from the same head", async () => {
  const lazy = inlineRequest(URL_, "GET", PAIRS);
  const real = new Request(URL_, { method: "GET", headers: PAIRS });
  assert.ok(lazy instanceof Request);
  assert.equal(lazy.url, real.url);
  assert.equal(lazy.method, "GET");
  for (const name of ["accept", "ACCEPT", "x-twice", "host", "missing"]) {
    assert.equal(lazy.headers.get(name), real.headers.get(name), name);
    assert.equal(lazy.headers.has(name), real.headers.has(name), name);
  }
  assert.deepEqual([...lazy.headers], [...real.headers]);
  const seen: string[] = [];
  lazy.headers.forEach((value, name) => seen.push(`${name}=${value}`));
  assert.deepEqual(seen, [...real.headers].map(([name, value]) => `${name}=${value}`));
  assert.deepEqual([...lazy.headers.keys()], [...real.headers.keys()]);
  // Everything else is the real Request's.
  assert.equal(lazy.body, null);
  assert.equal(lazy.bodyUsed, false);
  assert.equal(await lazy.text(), "");
  assert.equal(lazy.signal.aborted, false);
  assert.equal(lazy.redirect, "follow");
  const copy = lazy.clone();
  assert.ok(copy instanceof Request);
  assert.equal(copy.headers.get("x-twice"), "a, b");
});

Deno.test("inline request: its headers cannot be changed, as Deno.serve's cannot", () => {
  const { headers } = inlineRequest(URL_, "HEAD", PAIRS);
  assert.throws(() => headers.set("x", "1"), TypeError);
  assert.throws(() => headers.append("x", "1"), TypeError);
  assert.throws(() => headers.delete("accept"), TypeError);
  assert.equal(headers.get("accept"), "text/html, */*");
});

Deno.test("inline request: Hono routes and reads it", async () => {
  const app = new Hono().get(
    "/api/x",
    (c) => c.json({ y: c.req.query("y"), twice: c.req.header("x-twice"), all: c.req.header() }),
  );
  const response = await app.fetch(inlineRequest(URL_, "GET", PAIRS));
  assert.deepEqual(await response.json(), {
    y: "1",
    twice: "a, b",
    all: Object.fromEntries(new Request(URL_, { headers: PAIRS }).headers),
  });
});
