/**
 * Recognises "the PostgreSQL server cannot be reached" (refused, reset, closed, timed out, or the
 * server shutting down or refusing connections), so the HTTP layer answers 503 with a clear
 * detail instead of a 500, and the instance keeps running: postgres.js opens fresh connections
 * on the next query, so it recovers by itself once the database is back.
 */

/** postgres.js's own connection error codes, and the socket errors beneath them. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * PostgreSQL SQLSTATEs that mean the server is not serving: class 08 (connection exception),
 * 53300 too many connections, 57P01-57P03 shutting down or starting up.
 */
const UNAVAILABLE_STATE = /^(?:08\w{3}|53300|57P0[123])$/;

export function isDatabaseUnreachable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || UNAVAILABLE_STATE.test(code))) {
      return true;
    }
    cause = cause.cause;
  }
  return false;
}

export const DATABASE_UNREACHABLE = "The database is unreachable. Try again in a moment.";
