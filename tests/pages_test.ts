/** Page routes through app.request: status, headers and the no-JavaScript form posts. */
import assert from "node:assert/strict";
import { ensureBuilt } from "../framework/build.ts";
import { postJson, withApp } from "./helpers.ts";

function postForm(
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return Promise.resolve(app.request("/", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  }));
}

const MINT = {
  intent: "mint",
  validity_period: "1_day",
  session_ttl_minutes: "30",
  message_char_limit: "2000",
};

Deno.test("[pages] the landing page renders its forms with security headers", async () => {
  await using t = await withApp();
  const response = await t.app.request("/");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(response.headers.get("content-security-policy")!, /default-src 'none'/);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  const html = await response.text();
  for (
    const text of [
      'aria-label="Create chat link"',
      ">Valid for<",
      ">Session length (minutes)<",
      ">Characters per message<",
      'aria-label="Join chat"',
      ">Link or token<",
      ">Join<",
    ]
  ) {
    assert.ok(html.includes(text), text);
  }
});

/**
 * Posts the mint form and follows its redirect as a browser does (with the one-time cookie);
 * returns the redirect and the page it led to.
 */
async function mintByForm(
  app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> },
  headers: Record<string, string> = {},
  url = "/",
) {
  const redirect = await app.request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(MINT).toString(),
  });
  assert.equal(redirect.status, 303);
  const cookie = redirect.headers.get("set-cookie")!.split(";")[0];
  const page = await app.request(new URL(redirect.headers.get("location")!, "http://x/").pathname, {
    headers: { cookie, ...headers },
  });
  return { redirect, page, cookie };
}

const shareLinkIn = (html: string) => /id="share-link"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? "";

Deno.test("[pages] a form post mints a link without a secret, with a QR code", async () => {
  await using t = await withApp({ CHAT_PUBLIC_URL: "https://chat.example.org" });
  const { redirect, page: response, cookie } = await mintByForm(t.app, { host: "evil.example" });
  assert.equal(redirect.headers.get("location"), "https://chat.example.org/");
  // The token travels in a short-lived HttpOnly cookie, never in the redirect's URL.
  assert.match(redirect.headers.get("set-cookie")!, /HttpOnly; SameSite=Strict/);
  assert.equal(response.status, 200);
  const html = await response.text();
  const token = cookie.split("=")[1];
  assert.ok(!redirect.headers.get("location")!.includes(token));
  assert.match(shareLinkIn(html), /^https:\/\/chat\.example\.org\/session\/[A-Za-z0-9_-]{43}$/);
  // The page that showed it cleared the cookie: a reload shows the form, and mints nothing.
  assert.match(response.headers.get("set-cookie")!, /chatorbit_minted=; Max-Age=0/);
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.ok(html.includes("weaker protection"));
  assert.ok(html.includes('class="qr-code"'));
  assert.ok(!html.includes("evil.example"));
});

Deno.test("[pages] without CHAT_PUBLIC_URL a forged Host never reaches the share link", async () => {
  await using t = await withApp();
  const { redirect, page: response } = await mintByForm(
    t.app,
    { host: "evil.example" },
    "http://evil.example/",
  );
  assert.equal(redirect.headers.get("location"), "/");
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.match(shareLinkIn(html), /^\/session\/[A-Za-z0-9_-]{43}$/);
  assert.ok(!html.includes("evil.example"), "the Host header is reflected");
  // A QR code of a bare path opens nothing on a phone, so none is drawn.
  assert.ok(!html.includes('class="qr-code"'));
  assert.ok(html.includes("address in front of the link"));
});

Deno.test("[pages] form errors are shown in words next to their field", async () => {
  await using t = await withApp();
  const response = await postForm(t.app, {
    ...MINT,
    session_ttl_minutes: "5000",
    message_char_limit: "abc",
  });
  assert.equal(response.status, 422);
  const html = await response.text();
  assert.ok(
    html.includes(
      '<p id="mint-minutes-error" class="field-error">Session length must be at most 1440.</p>',
    ),
  );
  assert.ok(
    html.includes(
      '<p id="mint-chars-error" class="field-error">Characters per message must be a whole number.</p>',
    ),
  );
  assert.ok(!html.includes("[object Object]"));
});

Deno.test("[pages] the hourly limit says when to try again", async () => {
  await using t = await withApp({ CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1" });
  assert.equal((await postForm(t.app, MINT)).status, 303);
  const response = await postForm(t.app, MINT);
  assert.equal(response.status, 429);
  assert.match(
    await response.text(),
    /limit reached: 1 per hour\. Try again in 60 minutes\./,
  );
});

Deno.test("[pages] the join form redirects to the room and drops a pasted secret", async () => {
  await using t = await withApp();
  const token = "A".repeat(43);
  const response = await postForm(t.app, {
    intent: "join",
    token: `https://x.example/session/${token}#secret`,
  });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), `/session/${token}`);
  const bad = await postForm(t.app, { intent: "join", token: "not a token" });
  assert.equal(bad.status, 422);
  assert.ok((await bad.text()).includes("That is neither a token nor a ChatOrbit link."));
});

Deno.test("[pages] the join redirect uses CHAT_PUBLIC_URL, never a forged Host", async () => {
  await using t = await withApp({ CHAT_PUBLIC_URL: "https://chat.example.org" });
  const token = "A".repeat(43);
  const response = await t.app.request("http://evil.example/", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", host: "evil.example" },
    body: new URLSearchParams({ intent: "join", token }).toString(),
  });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get("location"), `https://chat.example.org/session/${token}`);
});

Deno.test("[pages] a cross-site form post is refused", async () => {
  await using t = await withApp();
  const response = await postForm(t.app, MINT, { "sec-fetch-site": "cross-site" });
  assert.equal(response.status, 403);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
});

Deno.test("[pages] the room renders without taking a seat; unknown tokens get the 404 page", async () => {
  await using t = await withApp();
  const minted = await (await postJson(t.app, "/api/tokens", {
    validity_period: "1_day",
    session_ttl_minutes: 5,
  })).json();
  const response = await t.app.request(`/session/${minted.token}`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("x-robots-tag"), "noindex, nofollow");
  const html = await response.text();
  assert.ok(html.includes(">Join</button>"));
  assert.ok(html.includes('"iceServers":[{"urls":"stun:stun.l.google.com:19302"}]'));
  const status = await (await t.app.request(`/api/sessions/${minted.token}/status`)).json();
  assert.equal(status.participants.length, 0);

  const missing = await t.app.request(`/session/${"B".repeat(43)}`);
  assert.equal(missing.status, 404);
  assert.ok((await missing.text()).includes("No chat exists for this link."));
  const other = await t.app.request("/nothing/here");
  assert.equal(other.status, 404);
  assert.ok(!(await other.text()).includes("<script"));
});

Deno.test("[pages] static files: the source folder is served before a build, never outside it", async () => {
  await using t = await withApp();
  const css = await t.app.request("/static/styles.css");
  assert.equal(css.status, 200);
  assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  await css.body?.cancel();
  assert.equal((await t.app.request("/static/../deno.json")).status, 404);
  assert.equal((await t.app.request("/build/manifest.json")).status, 404);
});

Deno.test("[pages] built files are immutable and gzip-encoded for clients that accept it", async () => {
  await ensureBuilt();
  await using t = await withApp();
  const home = await t.app.request("/");
  await home.body?.cancel();
  const script = /<([^>]+\.js)>; rel=modulepreload/.exec(home.headers.get("link") ?? "")?.[1];
  assert.ok(script, "the landing page announces its scripts");
  const response = await t.app.request(script, { headers: { "accept-encoding": "gzip, br" } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(response.headers.get("content-encoding"), "gzip");
  const text = await new Response(response.body!.pipeThrough(new DecompressionStream("gzip")))
    .text();
  assert.ok(text.length > 0);
});
