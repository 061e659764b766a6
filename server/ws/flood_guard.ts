/**
 * Per-socket frame-rate limit: a token bucket. A chat client sends a few frames a second (messages,
 * typing, ICE candidates); a socket that empties the bucket is flooding and is closed.
 */
import type { Clock } from "../clock.ts";

export class FloodGuard {
  #tokens: number;
  #last: number;

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 400,
    private readonly refillPerSecond = 200,
  ) {
    this.#tokens = capacity;
    this.#last = clock.now();
  }

  /** Takes one frame's token; false when the socket is over its rate. */
  take(): boolean {
    const now = this.clock.now();
    const elapsed = now - this.#last;
    if (elapsed > 0) {
      this.#tokens = Math.min(
        this.capacity,
        this.#tokens + (elapsed * this.refillPerSecond) / 1000,
      );
      this.#last = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
