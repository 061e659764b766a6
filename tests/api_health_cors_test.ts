import assert from "node:assert/strict";
import { MINT_BODY, postJson, withApp } from "./helpers.ts";

Deno.test("[health] /api/health/database is 200 ok while the database answers", async () => {
  await using t = await withApp();
  const response = await t.app.request("/api/health/database");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await response.json(), { status: "ok" });
});

Deno.test("[health] /api/health is 200 with the database state and version", async () => {
  await using t = await withApp();
  const response = await t.app.request("/api/health");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = await response.json();
  assert.equal(body.status, "ok");
  assert.equal(body.database, "ok");
  assert.match(body.version, /^\d+\.\d+\.\d+/);
});

Deno.test("[health] a database that does not answer makes /api/health/database 503", async () => {
  await using t = await withApp();
  await t.database.close();
  const response = await t.app.request("/api/health/database");
  assert.equal(response.status, 503);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.notEqual((await response.json()).status, "ok");
  const overall = await t.app.request("/api/health");
  assert.equal(overall.status, 200);
  assert.equal((await overall.json()).database, "unavailable");
});

Deno.test("[health] every response carries the security headers", async () => {
  await using t = await withApp();
  const response = await t.app.request("/api/health");
  await response.body?.cancel();
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  assert.equal(response.headers.get("referrer-policy"), "no-referrer");
  assert.equal(response.headers.get("x-frame-options"), "DENY");
});

Deno.test("[health] unknown API paths are JSON 404s", async () => {
  await using t = await withApp();
  const response = await t.app.request("/api/nothing-here");
  assert.equal(response.status, 404);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(typeof (await response.json()).detail, "string");
});

const ORIGIN = "https://chat.example.com";

Deno.test("[cors] wildcard: Access-Control-Allow-Origin * and no credentials header", async () => {
  await using t = await withApp({ CHAT_CORS_ALLOWED_ORIGINS: "*" });
  for (const origin of [ORIGIN, "http://evil.example"]) {
    const response = await postJson(t.app, "/api/tokens", MINT_BODY, { origin });
    assert.equal(response.status, 201);
    await response.body?.cancel();
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.headers.get("access-control-allow-credentials"), null);
  }
});

Deno.test("[cors] wildcard with CHAT_CORS_ALLOW_CREDENTIALS=true still sends no credentials", async () => {
  await using t = await withApp({
    CHAT_CORS_ALLOWED_ORIGINS: "*",
    CHAT_CORS_ALLOW_CREDENTIALS: "true",
  });
  const response = await t.app.request("/api/health", { headers: { origin: ORIGIN } });
  await response.body?.cancel();
  assert.equal(response.headers.get("access-control-allow-origin"), "*");
  assert.equal(response.headers.get("access-control-allow-credentials"), null);
});

for (
  const [form, value] of [
    ["a JSON list", JSON.stringify(["http://localhost:3000", ORIGIN])],
    ["a comma-separated list", `http://localhost:3000, ${ORIGIN}`],
    ["a single origin", ORIGIN],
  ]
) {
  Deno.test(`[cors] an allow-list given as ${form} echoes a listed origin with credentials`, async () => {
    await using t = await withApp({ CHAT_CORS_ALLOWED_ORIGINS: value });
    const allowed = await t.app.request("/api/health", { headers: { origin: ORIGIN } });
    await allowed.body?.cancel();
    assert.equal(allowed.headers.get("access-control-allow-origin"), ORIGIN);
    assert.equal(allowed.headers.get("access-control-allow-credentials"), "true");
    assert.match(allowed.headers.get("vary") ?? "", /Origin/i);

    const other = await t.app.request("/api/health", {
      headers: { origin: "https://other.example.com" },
    });
    await other.body?.cancel();
    assert.equal(other.status, 200);
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    assert.equal(other.headers.get("access-control-allow-credentials"), null);
  });
}

Deno.test("[cors] CHAT_CORS_ALLOW_CREDENTIALS=false drops the credentials header", async () => {
  await using t = await withApp({
    CHAT_CORS_ALLOWED_ORIGINS: ORIGIN,
    CHAT_CORS_ALLOW_CREDENTIALS: "false",
  });
  const response = await t.app.request("/api/health", { headers: { origin: ORIGIN } });
  await response.body?.cancel();
  assert.equal(response.headers.get("access-control-allow-origin"), ORIGIN);
  assert.equal(response.headers.get("access-control-allow-credentials"), null);
});

Deno.test("[cors] a preflight is answered with the allowed methods and headers", async () => {
  await using t = await withApp({ CHAT_CORS_ALLOWED_ORIGINS: ORIGIN });
  const preflight = await t.app.request("/api/sessions/abc", {
    method: "OPTIONS",
    headers: {
      origin: ORIGIN,
      "access-control-request-method": "DELETE",
      "access-control-request-headers": "authorization, content-type",
    },
  });
  assert.ok(preflight.status === 204 || preflight.status === 200, String(preflight.status));
  assert.equal(preflight.headers.get("access-control-allow-origin"), ORIGIN);
  assert.equal(preflight.headers.get("access-control-allow-credentials"), "true");
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /DELETE/);
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/i);

  const refused = await t.app.request("/api/tokens", {
    method: "OPTIONS",
    headers: { origin: "https://other.example.com", "access-control-request-method": "POST" },
  });
  assert.equal(refused.headers.get("access-control-allow-origin"), null);
  assert.equal(refused.headers.get("access-control-allow-methods"), null);
});

Deno.test("[cors] a wildcard preflight allows any origin without credentials", async () => {
  await using t = await withApp({ CHAT_CORS_ALLOWED_ORIGINS: "*" });
  const preflight = await t.app.request("/api/tokens", {
    method: "OPTIONS",
    headers: {
      origin: ORIGIN,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
  assert.ok(preflight.status < 300);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.equal(preflight.headers.get("access-control-allow-credentials"), null);
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
});

Deno.test("[cors] error responses carry CORS headers and expose Retry-After and msg-app", async () => {
  await using t = await withApp({ CHAT_CORS_ALLOWED_ORIGINS: ORIGIN });
  const response = await postJson(t.app, "/api/sessions/join", { token: "nope" }, {
    origin: ORIGIN,
  });
  assert.equal(response.status, 404);
  await response.body?.cancel();
  assert.equal(response.headers.get("access-control-allow-origin"), ORIGIN);
  const exposed = (response.headers.get("access-control-expose-headers") ?? "").toLowerCase();
  assert.ok(exposed.includes("retry-after") && exposed.includes("msg-app"), exposed);
});
