import assert from "node:assert/strict";
import { originAllowed, type OriginPolicy } from "./origin.ts";

function policy(listed: string[], publicUrl: string | null = null): OriginPolicy {
  return { any: listed.includes("*"), listed: new Set(listed), publicUrl };
}

Deno.test("[origin] the page's own origin, listed origins and no Origin pass; others do not", () => {
  const list = policy(["https://friend.example"]);
  assert.ok(originAllowed(list, undefined, "chat.lan:8000"));
  assert.ok(originAllowed(list, "http://chat.lan:8000", "chat.lan:8000"));
  assert.ok(originAllowed(list, "https://friend.example", "chat.lan:8000"));
  assert.equal(originAllowed(list, "https://evil.example", "chat.lan:8000"), false);
  assert.equal(originAllowed(list, "http://chat.lan:9000", "chat.lan:8000"), false);
  assert.equal(originAllowed(list, "null", "chat.lan:8000"), false);
  assert.ok(originAllowed(policy(["*"]), "https://evil.example", "chat.lan:8000"));
  assert.ok(originAllowed(policy([], "https://chat.example"), "https://chat.example", "x:1"));
});
