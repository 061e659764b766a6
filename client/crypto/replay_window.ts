/**
 * Anti-replay bookkeeping for one receive direction, as in IPsec/DTLS: remember the highest
 * sequence number accepted and a bitmap of the `size` numbers just below it. Within the window a
 * number is accepted once (so the relay and the data channel may reorder); older numbers are
 * rejected because we no longer remember whether they were seen.
 */
import { CryptoCheckError } from "./errors.ts";

const REPLAY_WINDOW = 64;

export class ReplayWindow {
  #highest = -1;
  /** Bit i set = sequence number `highest - i` was accepted. */
  #seen = 0n;

  constructor(readonly size = REPLAY_WINDOW) {}

  /** Throws `CryptoCheckError` ("replay" or "too_old") if `seq` must not be accepted. */
  check(seq: number): void {
    if (seq > this.#highest) return;
    const age = this.#highest - seq;
    if (age >= this.size) throw new CryptoCheckError("too_old");
    if (this.#seen & (1n << BigInt(age))) {
      throw new CryptoCheckError("replay");
    }
  }

  /**
   * Records `seq` as accepted (checks again first). Call only after the message authenticated,
   * so a forged envelope cannot burn a sequence number or slide the window.
   */
  accept(seq: number): void {
    this.check(seq);
    if (seq > this.#highest) {
      const shift = seq - this.#highest;
      this.#seen = shift >= this.size ? 1n : ((this.#seen << BigInt(shift)) | 1n) & this.#mask();
      this.#highest = seq;
    } else {
      this.#seen |= 1n << BigInt(this.#highest - seq);
    }
  }

  #mask(): bigint {
    return (1n << BigInt(this.size)) - 1n;
  }
}
