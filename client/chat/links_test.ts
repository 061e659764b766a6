import assert from "node:assert/strict";
import { linkParts } from "./links.ts";

const links = (text: string) => linkParts(text).filter((p) => p.href).map((p) => p.href);

Deno.test("[links] http and https addresses become links, the text stays whole", () => {
  const text = "see https://example.org/a?b=1#c and http://chat.lan:8000/x.";
  const parts = linkParts(text);
  assert.equal(parts.map((p) => p.text).join(""), text);
  assert.deepEqual(links(text), ["https://example.org/a?b=1#c", "http://chat.lan:8000/x"]);
});

Deno.test("[links] other schemes and look-alikes stay text", () => {
  for (
    const text of ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org", "https://"]
  ) {
    assert.deepEqual(links(text), [], text);
  }
});

Deno.test("[links] trailing punctuation ends the link, balanced brackets stay", () => {
  assert.deepEqual(links("(https://example.org/x)"), ["https://example.org/x"]);
  assert.deepEqual(links("https://en.wikipedia.org/wiki/A_(b)."), [
    "https://en.wikipedia.org/wiki/A_(b)",
  ]);
  assert.deepEqual(links("no links here"), []);
  assert.deepEqual(linkParts(""), [{ text: "" }]);
});
