/** Bad input never makes a 500: a table of hostile bodies and paths across every endpoint. */
import assert from "node:assert/strict";
import { MINT_BODY, postJson, withApp } from "./helpers.ts";

/** A small deterministic PRNG so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "😀",
  "a".repeat(5000),
  "../../etc/passwd",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "%00",
  "1_day",
  "\u202e",
  "null",
];
const ODD_NUMBERS = [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 1440, 1441, 200, 16000, NaN];

function randomValue(random: () => number, depth = 0): unknown {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  switch (Math.floor(random() * (depth > 2 ? 5 : 7))) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(ODD_NUMBERS);
    case 3:
    case 4:
      return pick(ODD_STRINGS);
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const keys = [
        "token",
        "participant_id",
        "client_identity",
        "validity_period",
        "session_ttl_minutes",
        "message_char_limit",
        "__proto__",
        "constructor",
        "x",
      ];
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 5); i > 0; i--) {
        object[pick(keys)] = randomValue(random, depth + 1);
      }
      return object;
    }
  }
}

const FIXED_BODIES: string[] = [
  "",
  "{",
  "}",
  "[",
  "null",
  "true",
  "0",
  '""',
  "[]",
  "{}",
  "[".repeat(5000) + "]".repeat(5000),
  '{"a":'.repeat(3000) + "1" + "}".repeat(3000),
  JSON.stringify({ ...MINT_BODY, session_ttl_minutes: "1e999" }),
  '{"validity_period":"1_day","session_ttl_minutes":1e999}',
  '{"validity_period":"1_day","session_ttl_minutes":-0}',
  '{"token":"\\ud800"}',
  '{"token":"abc","token":"def"}',
  '{"__proto__":{"token":"x"}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '\ufeff{"validity_period":"1_day","session_ttl_minutes":30}',
  "\u0000",
  " ".repeat(20_000),
];

const POST_PATHS = ["/api/tokens", "/api/sessions/join"];

Deno.test("[fuzz] hostile bodies on POST endpoints never cause a 5xx", async () => {
  await using t = await withApp({
    CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000000",
    CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: "1000000",
    CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const random = prng(20261125);
  const bodies = [...FIXED_BODIES];
  for (let i = 0; i < 300; i++) bodies.push(JSON.stringify(randomValue(random)) ?? "undefined");
  for (const path of POST_PATHS) {
    for (const body of bodies) {
      for (const contentType of ["application/json", "text/plain", "multipart/form-data"]) {
        const response = await t.app.request(path, {
          method: "POST",
          headers: { "content-type": contentType },
          body,
        });
        assert.ok(
          response.status < 500,
          `${path} ${contentType} ${body.slice(0, 80)}: ${response.status}`,
        );
        await response.body?.cancel();
      }
    }
  }
  assert.ok(!Object.prototype.hasOwnProperty.call({}, "polluted"));
});

Deno.test("[fuzz] hostile paths, methods and headers never cause a 5xx", async () => {
  await using t = await withApp();
  const minted = await postJson(t.app, "/api/tokens", MINT_BODY);
  const { token } = await minted.json();
  const tokens = [
    token,
    "",
    "%00",
    "%ZZ",
    "%2e%2e%2f%2e%2e",
    "..",
    "a".repeat(10_000),
    "%F0%9F%98%80",
    "%ED%A0%80",
    "tok en",
    token + "%0d%0aSet-Cookie:x=1",
  ];
  const paths: string[] = [];
  for (const value of tokens) {
    paths.push(
      `/api/sessions/${value}/status`,
      `/api/sessions/${value}`,
      `/api/sessions/${value}/status/extra`,
      `/ws/sessions/${value}`,
    );
  }
  paths.push("/api", "/api/", "/api/health/", "/api/tokens/x", "/api//tokens", "/api/sessions");
  const authorizations = [
    undefined,
    "Bearer",
    "Bearer " + "a".repeat(10_000),
    "Bearer \u00ff",
    "Bearer a b c",
    "Digest x",
  ];
  for (const path of paths) {
    for (const method of ["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD"]) {
      for (const authorization of authorizations) {
        const headers: Record<string, string> = { origin: "https://x.example" };
        if (authorization) headers.authorization = authorization;
        let response: Response;
        try {
          response = await t.app.request(path, { method, headers });
        } catch (error) {
          // A URL the Request constructor itself refuses never reaches the server.
          if (error instanceof TypeError) continue;
          throw error;
        }
        assert.ok(response.status < 500, `${method} ${path.slice(0, 80)}: ${response.status}`);
        await response.body?.cancel();
      }
    }
  }
});

Deno.test("[fuzz] the status of a real token is unchanged by the barrage", async () => {
  await using t = await withApp();
  const minted = await postJson(t.app, "/api/tokens", MINT_BODY);
  const { token } = await minted.json();
  for (const authorization of ["Bearer x", "Bearer " + token, ""]) {
    const response = await t.app.request(`/api/sessions/${token}`, {
      method: "DELETE",
      headers: { authorization },
    });
    assert.equal(response.status, 401);
    await response.body?.cancel();
  }
  const status = await t.app.request(`/api/sessions/${token}/status`);
  assert.equal((await status.json()).status, "issued");
});
