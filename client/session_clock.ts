/**
 * The session's countdown, kept to the server's clock: the deadline (server time), the offset
 * between the server's clock and this device's (from the socket's pings, the shortest round trip
 * being the most exact, and from the page and status frames until a ping answered), and a local
 * tick aligned to the displayed second.
 */
import { computed, signal } from "@preact/signals";

export class SessionClock {
  /** The session's end in server time (ms), once it is active. */
  readonly deadline = signal<number | null>(null);
  /** Server time minus local time, in ms. */
  readonly offset = signal(0);
  /** Local time, ticking once a second (aligned to the countdown). */
  readonly now = signal(Date.now());
  readonly remainingMs = computed(() => {
    const deadline = this.deadline.value;
    if (deadline === null) return null;
    const left = deadline - (this.now.value + this.offset.value);
    // A clock sample a few milliseconds off must not show more than the session's length.
    return Math.min(this.ttlMs, Math.max(0, left));
  });
  #bestRoundTrip = Infinity;

  constructor(readonly ttlMs: number, serverTime: string, expiresAt: string | null | undefined) {
    this.offset.value = Date.parse(serverTime) - Date.now();
    if (expiresAt) this.deadline.value = Date.parse(expiresAt);
  }

  /** A ping's sample: server time minus local time, measured over `roundTrip` ms. */
  sample(offset: number, roundTrip: number): void {
    if (roundTrip <= this.#bestRoundTrip * 1.5) this.offset.value = offset;
    this.#bestRoundTrip = Math.min(this.#bestRoundTrip, roundTrip);
  }

  /** A status frame: its deadline, and its time while no ping has answered yet. */
  status(serverTime: string, expiresAt: string | null | undefined): void {
    if (expiresAt) this.deadline.value = Date.parse(expiresAt);
    if (this.#bestRoundTrip === Infinity) this.offset.value = Date.parse(serverTime) - Date.now();
  }

  /** Ticks until stopped, calling `onTick` with the time left just after each second changes. */
  run(onTick: (left: number | null) => void): () => void {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      this.now.value = Date.now();
      const left = this.remainingMs.peek();
      onTick(left);
      timer = setTimeout(tick, left ? (left % 1000 || 1000) + 15 : 1000);
    };
    tick();
    return () => clearTimeout(timer);
  }
}
