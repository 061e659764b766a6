/**
 * The app's side of the page layer: what route handlers get (`ctx.deps`, `ctx.clientAddress`),
 * the same-origin rule for form posts, and what the error page says for each kind of error.
 */
import type { Context } from "hono";
import { pagesApp } from "../../framework/app.ts";
import type { ErrorView, Handlers } from "../../framework/runtime.ts";
import { pages } from "../../pages_manifest.ts";
import { DATABASE_BUSY, isDatabaseBusy } from "../db/busy.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { clientAddress } from "./client_address.ts";
import { loggablePath } from "./log_path.ts";

export interface PageState {
  deps: Deps;
  /** The client's address (for rate limits), as the API determines it. */
  clientAddress: string;
}

/** What a route file exports as `handler`. */
export type PageHandlers<Data> = Handlers<Data, PageState>;

function describeError(error: unknown, c: Context): ErrorView {
  if (error instanceof AppError) {
    return { status: error.status, message: error.detail, headers: error.headers };
  }
  if (isDatabaseBusy(error)) {
    return { status: 503, message: DATABASE_BUSY, headers: { "Retry-After": "1" } };
  }
  // The raw path carries tokens: only the route's shape goes into the log.
  console.error(`Page failed: ${c.req.method} ${loggablePath(c.req.path)}`, error);
  return { status: 500, message: "Something went wrong on our side." };
}

export function appPages(deps: Deps) {
  return pagesApp<PageState>({
    manifest: pages,
    state: (c) => ({ deps, clientAddress: clientAddress(c, deps.config.trustProxy) }),
    describeError,
    // Forms post only from our own pages; a cross-site form cannot spend a visitor's allowance.
    // (A foreign Origin is refused for every route by origin.ts; this adds the browser's own
    // Sec-Fetch-Site verdict, which also covers the origins CORS lets read the API.)
    guardPost: async function sameOriginForms(c, next) {
      const site = c.req.header("sec-fetch-site");
      if (site === "cross-site" || site === "same-site") {
        throw new AppError(403, "Forms can only be sent from this site's own pages.");
      }
      await next();
    },
  });
}
