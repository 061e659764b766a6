/**
 * Renders a page: the route component inside the document shell, island boundaries and props,
 * the boot script, and the headers that go with them (CSP nonce, modulepreload, caching).
 */
import { type ComponentType, Fragment, h } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Assets } from "./assets.ts";
import { contentSecurityPolicy, newNonce } from "./csp.ts";
import { collectIslands, type IslandUse } from "./islands.ts";
import { type AppProps, collectHead } from "./runtime.ts";
import { PROPS_ELEMENT_ID } from "./markers.ts";
import { escapeForScript, serialize } from "./serialize.ts";

export interface RenderOptions {
  app: ComponentType<AppProps>;
  page: ComponentType;
  assets: Assets;
  status?: number;
  headers?: Record<string, string>;
}

/** The HTML that boots the page's islands, and the files it loads. */
function islandScripts(islands: IslandUse[], assets: Assets, nonce: string) {
  const { boot, islands: files } = assets.entries(new Set(islands.map((island) => island.name)));
  const props = islands.map((island, id) => serialize(island.props, `${island.name}#${id}`));
  const imports = [...files].map(([name, file]) =>
    `import ${name} from ${JSON.stringify(assets.href(file))};`
  ).join("");
  const html = `<script id="${PROPS_ELEMENT_ID}" type="application/json">${
    escapeForScript(`[${props.join(",")}]`)
  }</script><script type="module" nonce="${nonce}">import{boot}from${
    JSON.stringify(assets.href(boot))
  };${imports}boot({${[...files.keys()].join(",")}});</script>`;
  return { html, preloads: assets.preloads([boot, ...files.values()]) };
}

/** Renders a full HTML document response. */
export function renderPage(options: RenderOptions): Response {
  const { app, page, assets } = options;
  const { result: { result: body, islands }, head } = collectHead(() =>
    collectIslands(() =>
      renderToString(h(app, { Component: page, asset: (name: string) => assets.url(name) }))
    )
  );
  const useScripts = islands.length > 0 && assets.hasIslands;
  const nonce = useScripts ? newNonce() : null;
  const scripts = useScripts ? islandScripts(islands, assets, nonce!) : null;

  const headHtml = head.length > 0 ? renderToString(h(Fragment, null, head)) : "";
  let html = "<!DOCTYPE html>" + body;
  if (headHtml) html = html.replace("</head>", `${headHtml}</head>`);
  if (scripts) html = html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${scripts.html}</body>`);

  const headers = new Headers({
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": contentSecurityPolicy(nonce),
    // Each response has its own nonce, so no shared cache may keep it.
    "Cache-Control": "no-cache, private",
  });
  // The page's own headers replace these defaults, whatever case their names are written in.
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  const links = [`<${assets.url("styles.css")}>; rel=preload; as=style`];
  for (const file of scripts?.preloads ?? []) {
    links.push(`<${assets.href(file)}>; rel=modulepreload`);
  }
  headers.set("Link", links.join(", "));
  return new Response(html, { status: options.status ?? 200, headers });
}
