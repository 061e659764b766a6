/**
 * The mint form's choices: labels and defaults around the contract's limits (contract/limits.ts),
 * which are the only bounds.
 */
import type { ValidityPeriod } from "../contract/limits.ts";

/** [value, label] pairs of the "Valid for" choice, in the order shown. */
export const VALIDITY_OPTIONS: readonly (readonly [ValidityPeriod, string])[] = [
  ["1_day", "1 day"],
  ["1_week", "1 week"],
  ["1_month", "1 month (30 days)"],
  ["1_year", "1 year (365 days)"],
];

export const DEFAULT_SESSION_MINUTES = 30;
export const SESSION_QUICK_PICKS = [5, 15, 30, 60, 180, 720] as const;

/** "90" -> "1 h 30 min", for quick picks and summaries. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
