/**
 * The pages sub-app: one Hono route per route file of the manifest, the 404 page, an HTML error
 * page, and the files under /build and /static. It knows nothing of the app: what handlers get
 * besides the request (`state`), which posts are allowed (`guardPost`) and what an error says
 * (`describeError`) come in as options. server/app.ts mounts it after the API.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { h } from "preact";
import { projectRoot } from "./config.ts";
import { Assets, type BuildManifest, readManifest } from "./assets.ts";
import { registerIsland } from "./islands.ts";
import { renderPage } from "./render.ts";
import { routePath } from "./route_path.ts";
import type { ErrorView, PagesManifest, RenderInit, RouteContext } from "./runtime.ts";
import { staticFiles } from "./static_files.ts";

export interface PagesOptions<State extends object> {
  manifest: PagesManifest;
  /** What every handler gets besides the request, made once per request. */
  state: (c: Context) => State;
  /** What the error page says for a thrown error; a status of 404 shows the not-found page. */
  describeError: (error: unknown, c: Context) => ErrorView;
  /** Runs before every POST handler (e.g. a same-origin rule for forms). */
  guardPost?: MiddlewareHandler;
  root?: string;
  /** The build manifest to use; read from the build folder when left out. */
  build?: BuildManifest | null;
}

export function pagesApp<State extends object>(options: PagesOptions<State>): Hono {
  const { manifest } = options;
  const root = options.root ?? projectRoot;
  const assets = new Assets(options.build !== undefined ? options.build : readManifest(root));
  for (const [name, component] of Object.entries(manifest.islands)) registerIsland(name, component);
  const App = manifest.app.default;
  const NotFound = manifest.notFound.default;

  const notFound = (message?: string) =>
    renderPage({ app: App, page: () => h(NotFound, { message }), assets, status: 404 });

  const app = new Hono();
  app.route("/", staticFiles(root));
  if (options.guardPost) app.post("*", options.guardPost);

  for (const [file, module] of Object.entries(manifest.routes)) {
    const Page = module.default;
    const handle = (method: "GET" | "POST") => (c: Context) => {
      const url = new URL(c.req.url);
      const params = c.req.param() as Record<string, string>;
      const ctx: RouteContext<unknown, State> = {
        ...options.state(c),
        req: c.req.raw,
        url,
        params,
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
    const view = options.describeError(error, c);
    if (view.status === 404) return notFound(view.message);
    return renderPage({
      app: App,
      page: () => h(NotFound, { message: view.message, title: "Something went wrong" }),
      assets,
      status: view.status,
      headers: view.headers ?? {},
    });
  });
  return app;
}
