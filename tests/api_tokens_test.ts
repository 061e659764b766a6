import assert from "node:assert/strict";
import { DAY } from "./fixtures.ts";
import { MINT_BODY, postJson, withApp } from "./helpers.ts";

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

async function assertJsonError(response: Response, status: number): Promise<{
  detail: string;
  issues?: { path: string; message: string }[];
}> {
  const body = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(typeof body.detail, "string");
  assert.ok(body.detail.length > 0);
  return body;
}

Deno.test("[tokens] a valid mint returns 201 with every field", async () => {
  await using t = await withApp();
  const response = await postJson(t.app, "/api/tokens", {
    validity_period: "1_week",
    session_ttl_minutes: 45,
    message_char_limit: 500,
    client_identity: "device-1",
  });
  assert.equal(response.status, 201);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = await response.json();
  assert.deepEqual(Object.keys(body).sort(), [
    "created_at",
    "message_char_limit",
    "session_ttl_seconds",
    "token",
    "validity_expires_at",
  ]);
  assert.equal(body.session_ttl_seconds, 45 * 60);
  assert.equal(body.message_char_limit, 500);
  assert.match(body.created_at, ISO_Z);
  assert.match(body.validity_expires_at, ISO_Z);
  assert.equal(Date.parse(body.created_at), t.clock.now());
  assert.equal(Date.parse(body.validity_expires_at), t.clock.now() + 7 * DAY);
});

Deno.test("[tokens] validity periods are a day, a week, 30 days and 365 days", async () => {
  await using t = await withApp();
  const periods = { "1_day": 1, "1_week": 7, "1_month": 30, "1_year": 365 };
  for (const [period, days] of Object.entries(periods)) {
    const response = await postJson(t.app, "/api/tokens", {
      validity_period: period,
      session_ttl_minutes: 1,
    });
    assert.equal(response.status, 201);
    const body = await response.json();
    assert.equal(Date.parse(body.validity_expires_at) - t.clock.now(), days * DAY, period);
  }
});

Deno.test("[tokens] message_char_limit defaults to 2000 and bounds are inclusive", async () => {
  await using t = await withApp();
  const mint = async (extra: Record<string, unknown>) => {
    const response = await postJson(t.app, "/api/tokens", { ...MINT_BODY, ...extra });
    assert.equal(response.status, 201, JSON.stringify(extra));
    return await response.json();
  };
  assert.equal((await mint({})).message_char_limit, 2000);
  assert.equal((await mint({ message_char_limit: 200 })).message_char_limit, 200);
  assert.equal((await mint({ message_char_limit: 16000 })).message_char_limit, 16000);
  assert.equal((await mint({ session_ttl_minutes: 1 })).session_ttl_seconds, 60);
  assert.equal((await mint({ session_ttl_minutes: 1440 })).session_ttl_seconds, 86400);
});

Deno.test("[tokens] a token is URL-safe, at least 128 bits, and never repeats", async () => {
  await using t = await withApp({
    CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000",
    CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: "1000",
  });
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const response = await postJson(t.app, "/api/tokens", MINT_BODY);
    const { token } = await response.json();
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    // 6 bits per base64url character: 22 characters are 132 bits.
    assert.ok(token.length >= 22, token);
    assert.equal(encodeURIComponent(token), token);
    assert.ok(!seen.has(token));
    seen.add(token);
  }
});

const INVALID_BODIES: [string, unknown][] = [
  ["missing validity_period", { session_ttl_minutes: 30 }],
  ["missing session_ttl_minutes", { validity_period: "1_day" }],
  ["unknown validity_period", { ...MINT_BODY, validity_period: "2_days" }],
  ["validity_period of another type", { ...MINT_BODY, validity_period: 1 }],
  ["validity_period null", { ...MINT_BODY, validity_period: null }],
  ["ttl 0", { ...MINT_BODY, session_ttl_minutes: 0 }],
  ["ttl 1441", { ...MINT_BODY, session_ttl_minutes: 1441 }],
  ["ttl negative", { ...MINT_BODY, session_ttl_minutes: -5 }],
  ["ttl fractional", { ...MINT_BODY, session_ttl_minutes: 1.5 }],
  ["ttl as a string", { ...MINT_BODY, session_ttl_minutes: "30" }],
  ["ttl boolean", { ...MINT_BODY, session_ttl_minutes: true }],
  ["ttl huge", { ...MINT_BODY, session_ttl_minutes: 1e308 }],
  ["ttl beyond safe integers", { ...MINT_BODY, session_ttl_minutes: 9007199254740993 }],
  ["char limit 199", { ...MINT_BODY, message_char_limit: 199 }],
  ["char limit 16001", { ...MINT_BODY, message_char_limit: 16001 }],
  ["char limit fractional", { ...MINT_BODY, message_char_limit: 2000.5 }],
  ["char limit as a string", { ...MINT_BODY, message_char_limit: "2000" }],
  ["client_identity too long", { ...MINT_BODY, client_identity: "x".repeat(129) }],
  ["client_identity a number", { ...MINT_BODY, client_identity: 5 }],
  ["client_identity an object", { ...MINT_BODY, client_identity: { a: 1 } }],
  ["unknown field", { ...MINT_BODY, admin: true }],
  [
    "prototype pollution field",
    JSON.parse('{"validity_period":"1_day","session_ttl_minutes":30,"__proto__":{"x":1}}'),
  ],
  ["array body", [MINT_BODY]],
  ["null body", null],
  ["string body", "hello"],
  ["number body", 42],
  ["empty object", {}],
];

for (const [name, body] of INVALID_BODIES) {
  Deno.test(`[tokens] 422 for ${name}`, async () => {
    await using t = await withApp();
    const response = await postJson(t.app, "/api/tokens", JSON.stringify(body));
    const error = await assertJsonError(response, 422);
    if (body !== null && typeof body === "object" && !Array.isArray(body)) {
      assert.ok(Array.isArray(error.issues) && error.issues.length > 0, "issues are listed");
    }
  });
}

const RAW_BODIES: [string, string | Uint8Array<ArrayBuffer>, string][] = [
  ["non-JSON text", "validity_period=1_day&session_ttl_minutes=30", "application/json"],
  ["truncated JSON", '{"validity_period": "1_day", ', "application/json"],
  ["empty body", "", "application/json"],
  [
    "JSON with a trailing comma",
    '{"validity_period":"1_day","session_ttl_minutes":30,}',
    "application/json",
  ],
  [
    "a huge number literal",
    '{"validity_period":"1_day","session_ttl_minutes":1e400}',
    "application/json",
  ],
  ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "application/json"],
  ["a form content type", JSON.stringify(MINT_BODY), "application/x-www-form-urlencoded"],
  ["a text content type", JSON.stringify(MINT_BODY), "text/plain"],
  ["no content type", JSON.stringify(MINT_BODY), ""],
  ["a content type that only contains json", JSON.stringify(MINT_BODY), "text/jsonish"],
];

for (const [name, body, contentType] of RAW_BODIES) {
  Deno.test(`[tokens] 422 for ${name}`, async () => {
    await using t = await withApp();
    const headers = new Headers();
    if (contentType) headers.set("content-type", contentType);
    const response = await t.app.request("/api/tokens", { method: "POST", headers, body });
    await assertJsonError(response, 422);
  });
}

Deno.test("[tokens] JSON content types with a charset or a +json suffix are accepted", async () => {
  await using t = await withApp();
  for (
    const type of [
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/vnd.api+json",
    ]
  ) {
    const response = await t.app.request("/api/tokens", {
      method: "POST",
      headers: { "content-type": type },
      body: JSON.stringify(MINT_BODY),
    });
    assert.equal(response.status, 201, type);
  }
});

Deno.test("[tokens] unicode: emoji identities are accepted, lone surrogates are not", async () => {
  await using t = await withApp();
  const mint = (identity: string) =>
    postJson(t.app, "/api/tokens", { ...MINT_BODY, client_identity: identity });
  assert.equal((await mint("📱 Ana's phone 🔒")).status, 201);
  assert.equal((await mint("👩‍👩‍👧‍👦")).status, 201);
  assert.equal((await mint("")).status, 201);
  // 128 characters (code points) is the limit, whatever their UTF-16 length.
  assert.equal((await mint("😀".repeat(128))).status, 201);
  await assertJsonError(await mint("😀".repeat(129)), 422);
  // JSON.stringify keeps lone surrogates as \ud800 escapes.
  await assertJsonError(await mint("abc\ud800"), 422);
  await assertJsonError(await mint("\udfffabc"), 422);
});

Deno.test("[tokens] 413 for a body over 16 KiB, a body of exactly 16 KiB is read", async () => {
  await using t = await withApp();
  const json = JSON.stringify(MINT_BODY);
  const exact = json.slice(0, -1) + " ".repeat(16 * 1024 - json.length) + "}";
  assert.equal(new TextEncoder().encode(exact).byteLength, 16 * 1024);
  assert.equal((await postJson(t.app, "/api/tokens", exact)).status, 201);
  const over = json.slice(0, -1) + " ".repeat(16 * 1024 - json.length + 1) + "}";
  await assertJsonError(await postJson(t.app, "/api/tokens", over), 413);
  const huge = JSON.stringify({ ...MINT_BODY, client_identity: "x".repeat(1024 * 1024) });
  await assertJsonError(await postJson(t.app, "/api/tokens", huge), 413);
});

Deno.test("[tokens] 413 for a streamed body over 16 KiB without a content length", async () => {
  await using t = await withApp();
  const chunk = new TextEncoder().encode(" ".repeat(4096));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 8) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const response = await t.app.request("/api/tokens", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  await assertJsonError(response, 413);
});

Deno.test("[tokens] 11th mint in an hour is refused with 429, the 12th after the window moves is not", async () => {
  await using t = await withApp();
  for (let i = 0; i < 5; i++) {
    assert.equal((await postJson(t.app, "/api/tokens", MINT_BODY)).status, 201);
  }
  t.clock.advance(30 * 60 * 1000);
  for (let i = 0; i < 5; i++) {
    assert.equal((await postJson(t.app, "/api/tokens", MINT_BODY)).status, 201);
  }
  const refused = await postJson(t.app, "/api/tokens", MINT_BODY);
  const error = await assertJsonError(refused, 429);
  const retryAfter = Number(refused.headers.get("retry-after"));
  // The five oldest mints leave the sliding hour in 30 minutes.
  assert.equal(retryAfter, 30 * 60);
  assert.match(error.detail, /10 per hour/);

  t.clock.advance(retryAfter * 1000 - 1000);
  assert.equal((await postJson(t.app, "/api/tokens", MINT_BODY)).status, 429, "a second early");
  t.clock.advance(1000);
  assert.equal((await postJson(t.app, "/api/tokens", MINT_BODY)).status, 201);
});

Deno.test("[tokens] the hourly limit follows CHAT_TOKEN_RATE_LIMIT_PER_HOUR", async () => {
  await using t = await withApp({ CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "2" });
  assert.equal((await postJson(t.app, "/api/tokens", MINT_BODY)).status, 201);
  assert.equal((await postJson(t.app, "/api/tokens", MINT_BODY)).status, 201);
  const refused = await postJson(t.app, "/api/tokens", MINT_BODY);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "3600");
});

Deno.test("[tokens] a fresh client_identity does not open a fresh allowance", async () => {
  await using t = await withApp({ CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "3" });
  for (let i = 0; i < 3; i++) {
    const body = { ...MINT_BODY, client_identity: `device-${i}` };
    assert.equal((await postJson(t.app, "/api/tokens", body)).status, 201);
  }
  const fresh = { ...MINT_BODY, client_identity: crypto.randomUUID() };
  assert.equal((await postJson(t.app, "/api/tokens", fresh)).status, 429);
});

Deno.test("[tokens] X-Forwarded-For is ignored without CHAT_TRUST_PROXY", async () => {
  await using t = await withApp({ CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "3" });
  for (let i = 0; i < 3; i++) {
    const response = await postJson(t.app, "/api/tokens", MINT_BODY, {
      "x-forwarded-for": `203.0.113.${i}`,
    });
    assert.equal(response.status, 201);
  }
  const spoofed = await postJson(t.app, "/api/tokens", MINT_BODY, {
    "x-forwarded-for": "198.51.100.77",
  });
  assert.equal(spoofed.status, 429);
});

Deno.test("[tokens] with CHAT_TRUST_PROXY the right-most X-Forwarded-For hop is the client", async () => {
  await using t = await withApp({ CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "2", CHAT_TRUST_PROXY: "1" });
  const mint = (forwarded: string) =>
    postJson(t.app, "/api/tokens", MINT_BODY, { "x-forwarded-for": forwarded });
  assert.equal((await mint("1.1.1.1, 203.0.113.9")).status, 201);
  assert.equal((await mint("2.2.2.2, 203.0.113.9")).status, 201);
  // Forged left-hand entries do not make a new client.
  assert.equal((await mint("3.3.3.3, 203.0.113.9")).status, 429);
  assert.equal((await mint("203.0.113.9")).status, 429);
  // A different right-most hop is a different client.
  assert.equal((await mint("203.0.113.9, 203.0.113.10")).status, 201);
  assert.equal((await mint(" 203.0.113.11 ")).status, 201);
});

Deno.test("[tokens] the mint allowance survives a restart of the app on the same database", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { openDatabase } = await import("../server/db/database.ts");
    const { createApp } = await import("../server/app.ts");
    const { ManualClock } = await import("../server/clock.ts");
    const { testConfig } = await import("./helpers.ts");
    const clock = new ManualClock();
    const config = testConfig({ CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "2" });
    for (const expected of [[201, 201], [429, 429]]) {
      const database = await openDatabase(`${dir}/chat.db`);
      const { app, deps } = createApp(config, database.db, clock);
      for (const status of expected) {
        assert.equal((await postJson(app, "/api/tokens", MINT_BODY)).status, status);
      }
      deps.hub.shutdown();
      await database.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[tokens] other methods on /api/tokens are not served", async () => {
  await using t = await withApp();
  for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
    const response = await t.app.request("/api/tokens", { method });
    assert.ok(response.status === 404 || response.status === 405, `${method}: ${response.status}`);
    assert.ok(response.status < 500);
  }
});
