/**
 * Which browser origins may act on this server: its own, `CHAT_PUBLIC_URL`, and those listed in
 * `CHAT_CORS_ALLOWED_ORIGINS` ("*" allows any). One rule for CORS, state-changing requests and
 * the WebSocket upgrade, so the three can never disagree.
 */
import type { MiddlewareHandler } from "hono";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";

export interface OriginPolicy {
  /** `CHAT_CORS_ALLOWED_ORIGINS` includes "*". */
  any: boolean;
  listed: ReadonlySet<string>;
  publicUrl: string | null;
}

export function originPolicy(config: Config): OriginPolicy {
  return {
    any: config.corsAllowedOrigins.includes("*"),
    listed: new Set(config.corsAllowedOrigins.filter((origin) => origin !== "*")),
    publicUrl: config.publicUrl,
  };
}

/**
 * Whether a request carrying `origin` (its `Origin` header) may act here. No `Origin` is not a
 * browser's cross-site request, so it is allowed. The request's own origin is compared by host
 * only (`host` is its `Host` header): behind a TLS proxy the server sees http while the browser
 * sends https, and the host is what a foreign site cannot choose for the victim's request.
 */
export function originAllowed(
  policy: OriginPolicy,
  origin: string | undefined,
  host: string | undefined,
): boolean {
  if (origin === undefined) return true;
  if (policy.any || policy.listed.has(origin) || origin === policy.publicUrl) return true;
  if (origin === "null" || host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Our own pages send `Referrer-Policy: no-referrer`, under which browsers send `Origin: null` on
 * form posts. Such a post is ours when the browser also says `Sec-Fetch-Site: same-origin`; a
 * browser too old to send that header cannot be told apart, and is let through as before.
 * (A sandboxed frame elsewhere also sends `null`, but with `Sec-Fetch-Site: cross-site`.)
 */
function sameOriginNull(origin: string | undefined, site: string | undefined): boolean {
  return origin === "null" && (site === undefined || site === "same-origin");
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Refuses state-changing requests (API calls and form posts) sent from a foreign origin. */
export function originGuard(policy: OriginPolicy): MiddlewareHandler {
  return async function originGuardMiddleware(c, next) {
    if (STATE_CHANGING.has(c.req.method)) {
      const origin = c.req.header("origin");
      const host = c.req.header("host") ?? new URL(c.req.url).host;
      if (
        !originAllowed(policy, origin, host) &&
        !sameOriginNull(origin, c.req.header("sec-fetch-site"))
      ) {
        throw new AppError(
          403,
          `Requests from ${origin} are refused: only this site's own pages and the origins in ` +
            "CHAT_CORS_ALLOWED_ORIGINS may send them.",
        );
      }
    }
    await next();
  };
}
