/**
 * Point 12 of issue 8 (HTTP side): same-origin by default. No CORS header unless the origin is
 * allowed; a state-changing request from a foreign origin is refused with 403; a preflight
 * echoes only the request headers the API reads.
 */
import assert from "node:assert/strict";
import { MINT_BODY, postJson, withApp, withServer } from "./helpers.ts";

const EVIL = "https://evil.example";
const LISTED = "https://app.example.com";

Deno.test("[origin] by default no response carries a CORS header, whatever the Origin", async () => {
  await using t = await withApp();
  for (const origin of [EVIL, "http://localhost"]) {
    const response = await t.app.request("/api/health", { headers: { origin } });
    await response.body?.cancel();
    assert.equal(response.status, 200);
    for (const [name] of response.headers) assert.ok(!name.startsWith("access-control-"), name);
  }
  const preflight = await t.app.request("/api/tokens", {
    method: "OPTIONS",
    headers: { origin: EVIL, "access-control-request-method": "POST" },
  });
  await preflight.body?.cancel();
  assert.equal(preflight.headers.get("access-control-allow-origin"), null);
});

Deno.test("[origin] a foreign Origin cannot mint, join, end or post the landing form", async () => {
  await using t = await withApp();
  const { token } = await (await postJson(t.app, "/api/tokens", MINT_BODY)).json();
  const requests: [string, RequestInit][] = [
    ["/api/tokens", jsonPost(MINT_BODY)],
    ["/api/sessions/join", jsonPost({ token })],
    [`/api/sessions/${token}`, { method: "DELETE", headers: { authorization: "Bearer x" } }],
    ["/", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "intent=mint&validity_period=1_day&session_ttl_minutes=5&message_char_limit=2000",
    }],
  ];
  for (const [path, init] of requests) {
    for (const origin of [EVIL, "null", "http://localhost.evil.example"]) {
      const headers = new Headers(init.headers);
      headers.set("origin", origin);
      // A sandboxed frame elsewhere sends "null", and its browser says it is cross-site.
      if (origin === "null") headers.set("sec-fetch-site", "cross-site");
      const response = await t.app.request(path, { ...init, headers });
      assert.equal(response.status, 403, `${init.method} ${path} from ${origin}`);
      assert.match((await response.json()).detail, /refused/);
    }
  }
  const status = await (await t.app.request(`/api/sessions/${token}/status`)).json();
  assert.equal(status.participants.length, 0, "a refused join took a seat");
});

function jsonPost(body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

Deno.test("[origin] the site's own origin, a listed one and no Origin at all may act", async () => {
  await using server = await withServer({ env: { CHAT_CORS_ALLOWED_ORIGINS: LISTED } });
  for (const origin of [server.url, LISTED, undefined]) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (origin) headers.origin = origin;
    const response = await fetch(`${server.url}/api/tokens`, {
      method: "POST",
      headers,
      body: JSON.stringify(MINT_BODY),
    });
    assert.equal(response.status, 201, String(origin));
    assert.equal(
      response.headers.get("access-control-allow-origin"),
      origin === LISTED ? LISTED : null,
    );
    await response.body?.cancel();
  }
  const foreign = await fetch(`${server.url}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: EVIL },
    body: JSON.stringify(MINT_BODY),
  });
  assert.equal(foreign.status, 403);
  await foreign.body?.cancel();
});

Deno.test("[origin] our own form post, sent as Origin null under no-referrer, is accepted", async () => {
  await using t = await withApp();
  const response = await t.app.request("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: "null",
      "sec-fetch-site": "same-origin",
    },
    body: "intent=mint&validity_period=1_day&session_ttl_minutes=5&message_char_limit=2000",
  });
  assert.equal(response.status, 303, "minted: redirected to the result");
  await response.body?.cancel();
});

Deno.test("[origin] with CHAT_PUBLIC_URL its origin may act even through a TLS proxy", async () => {
  await using t = await withApp({ CHAT_PUBLIC_URL: "https://chat.example.org" });
  const response = await postJson(t.app, "/api/tokens", MINT_BODY, {
    origin: "https://chat.example.org",
    host: "10.0.0.5:8000",
  });
  assert.equal(response.status, 201);
  await response.body?.cancel();
});

Deno.test("[origin] a preflight echoes only the request headers the API reads", async () => {
  await using t = await withApp({ CHAT_CORS_ALLOWED_ORIGINS: LISTED });
  const preflight = await t.app.request("/api/sessions/abc", {
    method: "OPTIONS",
    headers: {
      origin: LISTED,
      "access-control-request-method": "DELETE",
      "access-control-request-headers": "authorization, x-evil, content-type, cookie",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(
    preflight.headers.get("access-control-allow-headers"),
    "authorization, content-type",
  );
});
