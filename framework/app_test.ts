/** The page layer on its own: a made-up manifest and state, nothing of ChatOrbit's. */
import assert from "node:assert/strict";
import { h } from "preact";
import { join } from "node:path";
import { pagesApp } from "./app.ts";
import type { AppProps, NotFoundProps, PageProps, PagesManifest, RouteModule } from "./runtime.ts";

const shell = ({ Component }: AppProps) =>
  h("html", null, h("head", null), h("body", null, h(Component, null)));
const notFound = ({ message, title }: NotFoundProps) =>
  h("p", null, `${title ?? "Missing"}: ${message ?? ""}`);

interface Greeting {
  name: string;
}
const hello: RouteModule<Greeting, { visitor: string }> = {
  default: ({ data }: PageProps<Greeting>) => h("h1", null, `Hello ${data.name}`),
  handler: {
    GET: (ctx) => ctx.render({ name: ctx.visitor }),
    POST: () => {
      throw new Error("boom");
    },
  },
};
const missing: RouteModule = {
  default: () => h("p", null, "never"),
  handler: {
    GET: () => {
      throw Object.assign(new Error("gone"), { gone: true });
    },
  },
};
const plain: RouteModule = { default: () => h("p", null, "plain page") };

const manifest: PagesManifest = {
  app: { default: shell },
  notFound: { default: notFound },
  routes: { "index.tsx": hello, "gone/[id].tsx": missing, "about.tsx": plain },
  islands: {},
};

function app(guarded = false) {
  return pagesApp({
    manifest,
    root: join(Deno.cwd(), "framework"),
    build: null,
    state: (c) => ({ visitor: c.req.header("x-visitor") ?? "stranger" }),
    describeError: (error) =>
      (error as { gone?: boolean }).gone
        ? { status: 404, message: "It went away." }
        : { status: 500, message: "Broken.", headers: { "x-broken": "1" } },
    guardPost: guarded
      ? async function refuse(c, next) {
        if (c.req.header("x-allow") !== "1") return c.text("refused", 403);
        await next();
      }
      : undefined,
  });
}

Deno.test("[pages] a handler gets the app's state and renders through the shell", async () => {
  const response = await app().request("/", { headers: { "x-visitor": "Ada" } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /text\/html/);
  const html = await response.text();
  assert.match(html, /^<!DOCTYPE html><html><head>.*<h1>Hello Ada<\/h1>/);
});

Deno.test("[pages] a route without a handler renders on GET and answers 405 to POST", async () => {
  const get = await app().request("/about");
  assert.equal(get.status, 200);
  assert.match(await get.text(), /plain page/);
  const post = await app().request("/about", { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET");
});

Deno.test("[pages] the app's error description picks the not-found or the error page", async () => {
  const gone = await app().request("/gone/7");
  assert.equal(gone.status, 404);
  assert.match(await gone.text(), /Missing: It went away\./);
  const broken = await app().request("/", { method: "POST" });
  assert.equal(broken.status, 500);
  assert.equal(broken.headers.get("x-broken"), "1");
  assert.match(await broken.text(), /Something went wrong: Broken\./);
  const unknown = await app().request("/nowhere");
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("[pages] guardPost runs before every POST handler", async () => {
  const refused = await app(true).request("/", { method: "POST" });
  assert.equal(refused.status, 403);
  assert.equal(await refused.text(), "refused");
  const passed = await app(true).request("/", { method: "POST", headers: { "x-allow": "1" } });
  assert.equal(passed.status, 500);
  await passed.body?.cancel();
});

Deno.test("[pages] the page layer imports nothing of the app", async () => {
  const dir = new URL(".", import.meta.url).pathname;
  const outside: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!/\.tsx?$/.test(entry.name)) continue;
    const source = await Deno.readTextFile(join(dir, entry.name));
    for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      if (specifier.startsWith("../")) outside.push(`${entry.name}: ${specifier}`);
    }
  }
  assert.deepEqual(outside, []);
});
