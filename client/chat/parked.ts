/**
 * What arrived for a handshake before this side could use it: the two sides adopt and complete a
 * handshake at different moments, so the quicker side's first signals and envelopes can overtake
 * it. They wait here, at most `max` of them (the oldest go first), until their handshake is ready.
 */
export class Parked<T> {
  readonly #max: number;
  #waiting: { hid: string; item: T }[] = [];

  constructor(max: number) {
    this.#max = max;
  }

  park(hid: string, item: T): void {
    if (this.#waiting.length >= this.#max) this.#waiting.shift();
    this.#waiting.push({ hid, item });
  }

  /** What waited for `hid`, in arrival order; everything else is dropped (it can no longer count). */
  take(hid: string): T[] {
    const taken = this.#waiting.filter((parked) => parked.hid === hid).map(({ item }) => item);
    this.#waiting = [];
    return taken;
  }
}
