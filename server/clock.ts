/**
 * Time as a dependency. Every rule that depends on time (expiry, countdown, rate limits, sweeps)
 * asks a Clock, so tests move time forward instead of sleeping.
 */
export type TimerHandle = number;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once `ms` milliseconds of this clock's time have passed. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real wall clock and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Timers longer than 2^31-1 ms would overflow to "fire now"; sessions last at most a day.
  setTimeout(fn, ms) {
    // Cast: with node types loaded setTimeout is typed as returning a Timeout object.
    return setTimeout(fn, Math.min(Math.max(0, ms), 2_147_483_647)) as unknown as TimerHandle;
  },
  clearTimeout: (handle) => clearTimeout(handle),
};

/** A clock for tests: time stands still until `advance` moves it and fires due timers in order. */
export class ManualClock implements Clock {
  #now: number;
  #nextHandle = 1;
  #timers = new Map<TimerHandle, { at: number; fn: () => void }>();

  constructor(start = Date.parse("2026-01-01T00:00:00Z")) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = this.#nextHandle++;
    this.#timers.set(handle, { at: this.#now + Math.max(0, ms), fn });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle);
  }

  /** Moves time forward by `ms`, running each timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let due: [TimerHandle, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
      }
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].fn();
    }
    this.#now = target;
  }
}
