import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { Assets, type BuildManifest } from "./assets.ts";
import { collectIslands, registerIsland } from "./islands.ts";
import { PROPS_ELEMENT_ID } from "./markers.ts";
import { renderPage } from "./render.ts";
import type { AppProps } from "./runtime.ts";

function Counter({ start }: { start: number }) {
  return h("button", null, `Count ${start}`);
}
registerIsland("Counter", Counter);
function Static() {
  return h("p", null, "static");
}

const manifest: BuildManifest = {
  version: 1,
  fingerprint: "x",
  boot: "client/boot-abc.js",
  islands: { Counter: "islands/Counter-def.js" },
  imports: {
    "client/boot-abc.js": ["chunk-1.js"],
    "islands/Counter-def.js": ["chunk-1.js", "chunk-2.js"],
    "chunk-1.js": [],
    "chunk-2.js": [],
  },
  dynamicImports: {},
  assets: { "styles.css": "styles-123.css" },
};

const App = ({ Component, asset }: AppProps) =>
  h(
    "html",
    null,
    h("head", null, h("link", { href: asset("styles.css") })),
    h("body", null, h(Component, null)),
  );

Deno.test("[pages] islands: each island is wrapped in markers and its props collected", () => {
  const { result, islands } = collectIslands(() =>
    renderToString(
      h("div", null, h(Counter, { start: 1 }), h(Static, null), h(Counter, { start: 2 })),
    )
  );
  assert.equal(
    result,
    "<div><!--island:Counter:0--><button>Count 1</button><!--/island:0-->" +
      "<p>static</p><!--island:Counter:1--><button>Count 2</button><!--/island:1--></div>",
  );
  assert.deepEqual(islands, [
    { name: "Counter", props: { start: 1 } },
    { name: "Counter", props: { start: 2 } },
  ]);
});

Deno.test("[pages] islands: outside a page render an island is an ordinary component", () => {
  assert.equal(renderToString(h(Counter, { start: 7 })), "<button>Count 7</button>");
});

Deno.test("[pages] islands: a page with islands gets props, boot script, nonce CSP and preloads", async () => {
  const response = renderPage({
    app: App,
    page: () => h(Counter, { start: 3 }),
    assets: new Assets(manifest),
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await response.text();
  const nonce = /nonce="([^"]+)"/.exec(html)?.[1];
  assert.ok(nonce);
  assert.match(
    response.headers.get("content-security-policy")!,
    new RegExp(`script-src 'self' 'nonce-${nonce.replace(/[+/]/g, "\\$&")}'`),
  );
  assert.doesNotMatch(response.headers.get("content-security-policy")!, /unsafe-inline/);
  assert.ok(
    html.includes(
      `<script id="${PROPS_ELEMENT_ID}" type="application/json">[{"start":3}]</script>`,
    ),
  );
  assert.ok(
    html.includes(
      'import{boot}from"/build/client/boot-abc.js";import Counter from "/build/islands/Counter-def.js";boot({Counter});',
    ),
  );
  assert.equal(
    response.headers.get("link"),
    "</build/styles-123.css>; rel=preload; as=style, </build/client/boot-abc.js>; rel=modulepreload, " +
      "</build/chunk-1.js>; rel=modulepreload, </build/islands/Counter-def.js>; rel=modulepreload, " +
      "</build/chunk-2.js>; rel=modulepreload",
  );
  assert.ok(html.startsWith("<!DOCTYPE html>"));
});

Deno.test("[pages] islands: a page without islands ships no script and forbids scripts", async () => {
  const response = renderPage({ app: App, page: Static, assets: new Assets(manifest) });
  const html = await response.text();
  assert.ok(!html.includes("<script"));
  assert.match(response.headers.get("content-security-policy")!, /script-src 'none'/);
  assert.doesNotMatch(response.headers.get("link")!, /modulepreload/);
});
