/**
 * The retention sweep: what a finished session leaves behind is deleted a day later. Message
 * content is never stored at all, so there is nothing of it to sweep.
 */
import type { Clock } from "./clock.ts";
import type { Db } from "./db/database.ts";
import { deleteEventsBefore } from "./db/rate_events_repo.ts";
import { deleteWindowsBefore } from "./db/rate_keys_repo.ts";
import { deleteFinishedTokens } from "./db/tokens_repo.ts";
import { deleteExpiredRateKeys } from "./domain/rate_keys.ts";

export const RETENTION_MS = 24 * 60 * 60 * 1000;
/** Rate-limit rows matter only inside the longest window (one hour). */
const RATE_EVENT_RETENTION_MS = 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export async function sweep(db: Db, now: number): Promise<{ tokens: number; rateEvents: number }> {
  const tokens = await deleteFinishedTokens(db, now - RETENTION_MS);
  const rateEvents = await deleteEventsBefore(db, now - RATE_EVENT_RETENTION_MS);
  // Global windows matter for two minutes; keys as long as rate_keys.ts says.
  await deleteWindowsBefore(db, now - 2 * 60 * 1000);
  await deleteExpiredRateKeys(db, now);
  return { tokens, rateEvents };
}

/**
 * Runs `runSweep` now and then every interval until the returned function is called (the
 * sessions service's sweep, which also clears the cached rows of deleted tokens).
 */
export function startRetentionSweep(
  runSweep: () => Promise<unknown>,
  clock: Clock,
  intervalMs = SWEEP_INTERVAL_MS,
): () => void {
  let timer: number | null = null;
  let stopped = false;
  const run = async () => {
    try {
      await runSweep();
    } catch (error) {
      console.error("Retention sweep failed:", error);
    }
    if (!stopped) timer = clock.setTimeout(run, intervalMs);
  };
  timer = clock.setTimeout(run, 0);
  return () => {
    stopped = true;
    if (timer !== null) clock.clearTimeout(timer);
  };
}
