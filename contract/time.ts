/**
 * Time constants both sides count with. Written as literals: the bundler drops an unused constant
 * only when its value has no expression to evaluate.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A socket that has not sent its auth frame by then is closed with 4401. */
export const AUTH_TIMEOUT_MS = 10_000;
