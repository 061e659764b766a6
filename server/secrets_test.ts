import assert from "node:assert/strict";
import { hashSecret, randomSecret } from "./secrets.ts";

const URL_SAFE = /^[A-Za-z0-9_-]+$/;

function decodeBase64Url(text: string): Uint8Array {
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") +
    "=".repeat((4 - text.length % 4) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

Deno.test("[secrets] a secret carries 256 random bits as unpadded base64url", () => {
  const secret = randomSecret();
  assert.match(secret, URL_SAFE);
  assert.equal(secret.length, 43);
  assert.equal(decodeBase64Url(secret).byteLength, 32);
  assert.equal(encodeURIComponent(secret), secret);
});

Deno.test("[secrets] secrets never repeat and use the whole alphabet", () => {
  const seen = new Set<string>();
  const characters = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const secret = randomSecret();
    assert.ok(!seen.has(secret));
    seen.add(secret);
    for (const c of secret) characters.add(c);
  }
  // 64 symbols, all of them in 86,000 random characters (a biased encoder would miss some).
  assert.equal(characters.size, 64);
});

Deno.test("[secrets] a smaller secret still has at least 128 bits", () => {
  const secret = randomSecret(16);
  assert.match(secret, URL_SAFE);
  assert.equal(decodeBase64Url(secret).byteLength, 16);
});

Deno.test("[secrets] hashes are hex SHA-256, separated by purpose and hide the value", () => {
  const a = hashSecret("token", "abc");
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, hashSecret("token", "abc"));
  assert.notEqual(a, hashSecret("seat", "abc"));
  assert.notEqual(a, hashSecret("token", "abd"));
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  assert.notEqual(hashSecret("ab", "c"), hashSecret("a", "bc"));
  assert.ok(!a.includes("abc"));
});
