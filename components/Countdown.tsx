/**
 * The session countdown (`role="timer"`). Before the session starts it shows the full length.
 * In the last five minutes it turns amber, and a polite live region says so once, as it does at
 * one minute, instead of reading every second aloud.
 */
import { type ReadonlySignal, useComputed } from "@preact/signals";
import { describeDuration, formatCountdown } from "../client/time_format.ts";

export interface CountdownProps {
  remainingMs: ReadonlySignal<number | null>;
  lastMinutes: ReadonlySignal<boolean>;
  ttlSeconds: number;
}

export function Countdown({ remainingMs, lastMinutes, ttlSeconds }: CountdownProps) {
  const text = useComputed(() => formatCountdown(remainingMs.value ?? ttlSeconds * 1000));
  const announcement = useComputed(() => {
    const left = remainingMs.value;
    if (left === null || !lastMinutes.value) return "";
    return left <= 60_000 ? "Less than a minute left." : "Less than 5 minutes left.";
  });
  return (
    <div class="countdown" data-warning={lastMinutes.value ? "" : undefined}>
      <span class="countdown-label" id="countdown-label">
        {remainingMs.value === null ? "Starts when both are here:" : "Time left"}
      </span>
      <span
        class="countdown-time"
        role="timer"
        aria-labelledby="countdown-label"
        title={describeDuration(remainingMs.value ?? ttlSeconds * 1000)}
      >
        {text}
      </span>
      <span class="visually-hidden" aria-live="polite">{announcement}</span>
    </div>
  );
}
