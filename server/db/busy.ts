/**
 * Recognises "the database is locked by someone else" so the HTTP layer can answer 503 at once.
 *
 * `node:sqlite` is synchronous: while SQLite waits for a lock the whole event loop waits with it.
 * The busy timeout is therefore short ({@link BUSY_TIMEOUT_MS}), and a write that still finds the
 * file locked fails with SQLITE_BUSY, which becomes a 503 instead of stalling every request.
 */
export const BUSY_TIMEOUT_MS = 100;

export function isDatabaseBusy(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    if (/\bdatabase (?:table )?is (?:locked|busy)\b/i.test(cause.message)) return true;
    cause = cause.cause;
  }
  return false;
}

export const DATABASE_BUSY =
  "The database is busy (another process holds its lock). Try again in a moment.";
