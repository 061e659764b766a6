/**
 * The pages sub-app: one Hono route per file in routes/, the 404 page, an HTML error page, and the
 * files under /build and /static. server/app.ts mounts it after the API.
 */
import { type Context, Hono } from "hono";
import { h } from "preact";
import { projectRoot } from "./config.ts";
import type { Deps } from "../server/deps.ts";
import { DATABASE_BUSY, isDatabaseBusy } from "../server/db/busy.ts";
import { AppError } from "../server/errors.ts";
import { loggablePath } from "../server/http/log_path.ts";
import { clientAddress } from "../server/http/client_address.ts";
import { Assets, type BuildManifest, readManifest } from "./assets.ts";
import { pages, routePath } from "./manifest.ts";
import { renderPage } from "./render.ts";
import type { RenderInit, RouteContext, RouteModule } from "./runtime.ts";
import { staticFiles } from "./static_files.ts";

export interface PagesOptions {
  root?: string;
  /** The build manifest to use; read from the build folder when left out. */
  manifest?: BuildManifest | null;
}

export function pagesApp(deps: Deps, options: PagesOptions = {}): Hono {
  const root = options.root ?? projectRoot;
  const assets = new Assets(options.manifest !== undefined ? options.manifest : readManifest(root));
  const App = pages.app.default;
  const NotFound = pages.notFound.default;

  const notFound = (message?: string) =>
    renderPage({ app: App, page: () => h(NotFound, { message }), assets, status: 404 });

  const app = new Hono();
  app.route("/", staticFiles(root));

  // Forms post only from our own pages; a cross-site form cannot spend a visitor's allowance.
  // (A foreign Origin is refused for every route by server/http/origin.ts; this adds the browser's
  // own Sec-Fetch-Site verdict, which also covers the origins CORS lets read the API.)
  app.post("*", async function sameOriginForms(c, next) {
    const site = c.req.header("sec-fetch-site");
    const crossSite = site === "cross-site" || site === "same-site";
    if (crossSite) throw new AppError(403, "Forms can only be sent from this site's own pages.");
    await next();
  });

  for (const [file, module] of Object.entries(pages.routes) as [string, RouteModule<unknown>][]) {
    const Page = module.default;
    const handle = (method: "GET" | "POST") => (c: Context) => {
      const url = new URL(c.req.url);
      const params = c.req.param() as Record<string, string>;
      const ctx: RouteContext<unknown> = {
        req: c.req.raw,
        url,
        params,
        deps,
        clientAddress: clientAddress(c, deps.config.trustProxy),
        render: (data: unknown, init: RenderInit = {}) =>
          renderPage({ app: App, page: () => h(Page, { data, url, params }), assets, ...init }),
        renderNotFound: notFound,
      };
      const handler = module.handler?.[method];
      if (handler) return handler(ctx);
      if (method === "GET") return ctx.render(undefined);
      return c.text("Method not allowed.", 405, { Allow: "GET" });
    };
    app.get(routePath(file), handle("GET"));
    app.post(routePath(file), handle("POST"));
  }

  app.all("*", () => notFound());
  app.onError((error, c) => {
    if (error instanceof AppError && error.status === 404) return notFound(error.detail);
    const busy = isDatabaseBusy(error);
    const status = error instanceof AppError ? error.status : busy ? 503 : 500;
    // The raw path carries tokens: only the route's shape goes into the log.
    if (status === 500) {
      console.error(`Page failed: ${c.req.method} ${loggablePath(c.req.path)}`, error);
    }
    const message = error instanceof AppError
      ? error.detail
      : busy
      ? DATABASE_BUSY
      : "Something went wrong on our side.";
    return renderPage({
      app: App,
      page: () => h(NotFound, { message, title: "Something went wrong" }),
      assets,
      status,
      headers: error instanceof AppError ? error.headers : busy ? { "Retry-After": "1" } : {},
    });
  });
  return app;
}
