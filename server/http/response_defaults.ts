/**
 * Headers every response carries unless it sets its own: the security headers, and
 * `Cache-Control: no-store` (nothing is cached that does not say it may be: API answers, errors,
 * redirects; pages and built files set their own). Pages add a Content-Security-Policy with a
 * nonce.
 *
 * Two writers apply the one list: this middleware, for answers Deno.serve writes, and the
 * connection front, which writes them as ready bytes when it answers a request itself
 * (server/front/response_bytes.ts). Setting seven headers through Headers objects and copying
 * them into a Response cost a sixth of a status read there, for values that never change.
 */
import type { MiddlewareHandler } from "hono";

const DEFAULTS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  // Calls use the camera and microphone, from this origin only (never from an embedding page).
  "Permissions-Policy": "camera=(self), microphone=(self), geolocation=(), interest-cohort=()",
  "Cache-Control": "no-store",
};

const ENTRIES = Object.entries(DEFAULTS);

/** The list in lower case, as the front writes it (a response's own value of a name wins). */
export const RESPONSE_DEFAULTS: ReadonlyMap<string, string> = new Map(
  ENTRIES.map(([name, value]) => [name.toLowerCase(), value]),
);

/**
 * Marks a request's connection info (Hono's `c.env`) when the transport writes the defaults
 * itself, so the middleware leaves them out of the Response.
 */
export const WRITES_RESPONSE_DEFAULTS = Symbol("transport writes the response defaults");

export function responseDefaults(): MiddlewareHandler {
  return async function responseDefaultsMiddleware(c, next) {
    if ((c.env as { [WRITES_RESPONSE_DEFAULTS]?: true } | undefined)?.[WRITES_RESPONSE_DEFAULTS]) {
      return await next();
    }
    // Set before the handler: responses made with c.json()/c.html() are built with them (or
    // with the handler's own values), which is much cheaper than editing a finished response.
    for (const [name, value] of ENTRIES) c.header(name, value);
    await next();
    // A handler that returned a Response of its own (pages, static files) did not get them; a
    // WebSocket upgrade response (101) has immutable headers and needs none.
    if (c.res.status === 101 || c.res.headers.has("X-Content-Type-Options")) return;
    for (const [name, value] of ENTRIES) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  };
}
