/**
 * The contract's limits, as the browser needs them. The server's own copy lives in
 * server/domain/tokens.ts (with zod, too heavy to ship); pages_test checks the two agree.
 */
/** [value, label] pairs of the "Valid for" choice. */
export const VALIDITY_OPTIONS = [
  ["1_day", "1 day"],
  ["1_week", "1 week"],
  ["1_month", "1 month (30 days)"],
  ["1_year", "1 year (365 days)"],
] as const;

export const SESSION_MINUTES = { min: 1, max: 1440, default: 30 } as const;
export const SESSION_QUICK_PICKS = [5, 15, 30, 60, 180, 720] as const;
export const CHAR_LIMIT = { min: 200, max: 16000, default: 2000 } as const;

/** "90" -> "1 h 30 min", for quick picks and summaries. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
