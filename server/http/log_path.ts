/**
 * A request path as log lines may show it: the route's fixed words, every other segment replaced
 * by ":param". A token sits in the path of status, DELETE, the socket and the room page, so the
 * raw path must never be logged; this keeps a 5xx traceable to its route and leaks nothing.
 */
const ROUTE_WORDS = new Set([
  "api",
  "sessions",
  "status",
  "join",
  "tokens",
  "health",
  "database",
  "ws",
  "session",
  "build",
  "static",
]);

/** `/api/sessions/AbC…/status` -> `/api/sessions/:param/status`. */
export function loggablePath(path: string): string {
  const segments = path.split("?")[0].split("/").map((segment) =>
    segment === "" || ROUTE_WORDS.has(segment) ? segment : ":param"
  );
  return segments.join("/");
}
