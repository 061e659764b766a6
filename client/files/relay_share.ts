/**
 * The relay's share of one chat's outgoing files. Every file's relayed chunks wait in the same
 * socket queue at the server, for the same receiver, so all files together keep at most
 * RELAY_WINDOW chunks unacknowledged, whatever their number: four files at once must not pass the
 * queue cap that one file keeps under.
 */
import { MAX_FRAME_BYTES, SOCKET_QUEUE_CAP_BYTES } from "../../contract/limits.ts";

/**
 * A chunk's relay frame is nearly the largest frame there is (its envelope has the largest
 * padding): half the receiver's socket queue cap in such frames, the other half left for the chat.
 */
export const RELAY_WINDOW = Math.floor(SOCKET_QUEUE_CAP_BYTES / 2 / MAX_FRAME_BYTES);

export class RelayShare {
  /** Chunks each transfer has out through the relay, unacknowledged. */
  readonly #inFlight = new Map<string, number>();
  /** Transfers waiting for room, each with how it goes on. */
  readonly #waiting = new Map<string, () => void>();

  /** Whether transfer `id`, with `inFlight` chunks out, may send one more. */
  room(id: string, inFlight: number): boolean {
    let others = 0;
    for (const [key, chunks] of this.#inFlight) if (key !== id) others += chunks;
    return others + inFlight < RELAY_WINDOW;
  }

  /** Transfer `id` has `inFlight` chunks out; fewer than before lets waiting transfers go on. */
  report(id: string, inFlight: number): void {
    const before = this.#inFlight.get(id) ?? 0;
    this.#inFlight.set(id, inFlight);
    if (inFlight < before) this.#wake(id);
  }

  /** `resume` runs once, the next time another transfer frees room. */
  wait(id: string, resume: () => void): void {
    this.#waiting.set(id, resume);
  }

  /** Transfer `id` ended: its chunks no longer count. */
  leave(id: string): void {
    this.#waiting.delete(id);
    if (this.#inFlight.delete(id)) this.#wake(id);
  }

  #wake(freedBy: string): void {
    for (const [key, resume] of [...this.#waiting]) {
      if (key === freedBy) continue;
      this.#waiting.delete(key);
      resume();
    }
  }
}
