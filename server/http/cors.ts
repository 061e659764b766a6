/**
 * CORS, same-origin by default: no CORS header at all unless `CHAT_CORS_ALLOWED_ORIGINS` lists
 * the request's origin (echoed, with credentials if enabled) or is "*" (`*`, never credentials).
 * A preflight echoes only the request headers the API reads.
 */
import type { MiddlewareHandler } from "hono";

export interface CorsOptions {
  origins: string[];
  allowCredentials: boolean;
}

const ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
/** The only request headers the API reads (lower case, as compared). */
const ALLOWED_REQUEST_HEADERS = new Set(["content-type", "authorization"]);

/** The asked-for headers that are allowed, or the allowed list when none were asked for. */
function allowedHeaders(requested: string | undefined): string {
  if (requested === undefined) return "Content-Type, Authorization";
  return requested.split(",").map((name) => name.trim().toLowerCase())
    .filter((name) => ALLOWED_REQUEST_HEADERS.has(name)).join(", ");
}

export function cors(options: CorsOptions): MiddlewareHandler {
  const wildcard = options.origins.includes("*");
  const allowed = new Set(options.origins);
  const credentials = options.allowCredentials && !wildcard;
  const noneAllowed = options.origins.length === 0;

  return async function corsMiddleware(c, next) {
    if (noneAllowed) return await next();
    const origin = c.req.header("origin");
    const allowOrigin = wildcard ? "*" : origin && allowed.has(origin) ? origin : null;
    const headers: Record<string, string> = {};
    if (allowOrigin) {
      headers["Access-Control-Allow-Origin"] = allowOrigin;
      if (credentials) headers["Access-Control-Allow-Credentials"] = "true";
      headers["Access-Control-Expose-Headers"] = "Retry-After, msg-app";
    }
    if (!wildcard) headers["Vary"] = "Origin";

    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      if (allowOrigin) {
        headers["Access-Control-Allow-Methods"] = ALLOW_METHODS;
        const names = allowedHeaders(c.req.header("access-control-request-headers"));
        if (names) headers["Access-Control-Allow-Headers"] = names;
        headers["Access-Control-Max-Age"] = "600";
      }
      return new Response(null, { status: 204, headers });
    }
    // Set before the handler so the response is built with them (see response_defaults.ts).
    // A request without Origin is not a cross-origin browser request: no CORS header helps it.
    if (origin !== undefined) { for (const name in headers) c.header(name, headers[name]); }
    await next();
  };
}
