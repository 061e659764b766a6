/** Durations as people read them (dates: components/LocalTime.tsx). */
import { MINUTE_MS } from "../contract/time.ts";

/**
 * How long before the end the room warns that time is nearly up: the last fifth of the chat, at
 * most five minutes (a one-minute chat warns for its last 12 seconds, not all along).
 */
export function warningWindowMs(ttlMs: number): number {
  return Math.min(5 * MINUTE_MS, ttlMs / 5);
}

/** The warning's words: "Less than 3 minutes left", then "Less than a minute left". */
export function timeLeftWarning(ms: number): string {
  const minutes = Math.ceil(ms / MINUTE_MS);
  return minutes > 1 ? `Less than ${minutes} minutes left` : "Less than a minute left";
}

/** Milliseconds -> "4:05" or "1:02:03" (rounded up, so 0:00 means the time is really up). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** Milliseconds -> "12 minutes" / "1 hour 5 minutes", for screen reader announcements. */
export function describeDuration(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (hours === 0) return part(rest, "minute");
  return rest ? `${part(hours, "hour")} ${part(rest, "minute")}` : part(hours, "hour");
}
