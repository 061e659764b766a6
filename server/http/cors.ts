/**
 * CORS as the original behaved: with "*" every origin gets `Access-Control-Allow-Origin: *` and no
 * credentials header; with an allow-list a matching origin is echoed, with credentials if enabled.
 */
import type { MiddlewareHandler } from "hono";

export interface CorsOptions {
  origins: string[];
  allowCredentials: boolean;
}

const ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
const ALLOW_HEADERS = "Content-Type, Authorization";

export function cors(options: CorsOptions): MiddlewareHandler {
  const wildcard = options.origins.includes("*");
  const allowed = new Set(options.origins);
  const credentials = options.allowCredentials && !wildcard;

  return async function corsMiddleware(c, next) {
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
        headers["Access-Control-Allow-Headers"] = c.req.header("access-control-request-headers") ??
          ALLOW_HEADERS;
        headers["Access-Control-Max-Age"] = "600";
      }
      return new Response(null, { status: 204, headers });
    }
    // Set before the handler so the response is built with them (see security_headers.ts).
    // A request without Origin is not a cross-origin browser request: no CORS header helps it.
    if (origin !== undefined) { for (const name in headers) c.header(name, headers[name]); }
    await next();
  };
}
