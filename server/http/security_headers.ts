/**
 * Headers every response carries; pages add their own Content-Security-Policy with a nonce.
 *
 * Two writers apply the one list: this middleware, for answers Deno.serve writes, and the
 * connection front, which writes them as ready bytes when it answers a request itself
 * (server/front/response_bytes.ts). Setting six headers through Headers objects and copying them
 * into a Response cost a sixth of a status read there, for values that never change.
 */
import type { MiddlewareHandler } from "hono";

const HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  // Calls use the camera and microphone, from this origin only (never from an embedding page).
  "Permissions-Policy": "camera=(self), microphone=(self), geolocation=(), interest-cohort=()",
};

const ENTRIES = Object.entries(HEADERS);

/** The list in lower case, as the front writes it (a response's own value of a name wins). */
export const SECURITY_HEADERS: ReadonlyMap<string, string> = new Map(
  ENTRIES.map(([name, value]) => [name.toLowerCase(), value]),
);

/**
 * Marks a request's connection info (Hono's `c.env`) when the transport writes the security
 * headers itself, so the middleware leaves them out of the Response.
 */
export const WRITES_SECURITY_HEADERS = Symbol("transport writes the security headers");

export function securityHeaders(): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
    if ((c.env as { [WRITES_SECURITY_HEADERS]?: true } | undefined)?.[WRITES_SECURITY_HEADERS]) {
      return await next();
    }
    // Set before the handler: responses made with c.json()/c.html() are built with them, which
    // is much cheaper than editing a finished response's headers.
    for (const [name, value] of ENTRIES) c.header(name, value);
    await next();
    // A handler that returned a Response of its own (static files) did not get them; a WebSocket
    // upgrade response (101) has immutable headers and needs none.
    if (c.res.status === 101 || c.res.headers.has("X-Content-Type-Options")) return;
    for (const [name, value] of ENTRIES) c.res.headers.set(name, value);
  };
}
