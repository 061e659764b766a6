/** Headers every response carries; pages add their own Content-Security-Policy with a nonce. */
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

export function securityHeaders(): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
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
