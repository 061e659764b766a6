import assert from "node:assert/strict";
import { originAllowed } from "./origin.ts";

Deno.test("[origin] the page's own origin, listed origins and no Origin pass; others do not", () => {
  const list = ["https://friend.example"];
  assert.ok(originAllowed(undefined, "chat.lan:8000", list));
  assert.ok(originAllowed("http://chat.lan:8000", "chat.lan:8000", list));
  assert.ok(originAllowed("https://friend.example", "chat.lan:8000", list));
  assert.equal(originAllowed("https://evil.example", "chat.lan:8000", list), false);
  assert.equal(originAllowed("http://chat.lan:9000", "chat.lan:8000", list), false);
  assert.equal(originAllowed("null", "chat.lan:8000", list), false);
  assert.ok(originAllowed("https://evil.example", "chat.lan:8000", ["*"]));
});
