/**
 * Caps on what the server may have queued for sockets that do not read (contract: a socket whose
 * outgoing queue passes its cap is closed with 1013). Deno's `bufferedAmount` is exact per socket
 * and grows synchronously on send; the process total is the sum of what each socket had queued when
 * it last sent, so it errs high (by what drained since), never low.
 */
import { SOCKET_QUEUE_CAP_BYTES } from "../../contract/limits.ts";

/** Bytes all sockets together may have queued. */
const PROCESS_QUEUE_CAP_BYTES = 64 * 1024 * 1024;

export class OutgoingBudget {
  /** Sum of every open socket's last known queue. */
  total = 0;

  constructor(
    /** The contract's: ~250 relay frames of 1 KB, or four of the largest. */
    readonly socketCap = SOCKET_QUEUE_CAP_BYTES,
    readonly processCap = PROCESS_QUEUE_CAP_BYTES,
  ) {}
}

/** One socket's share of the budget; the transport calls it around each send. */
export class QueueMeter {
  /** The socket's queue as of its last send. */
  #known = 0;

  constructor(private readonly budget: OutgoingBudget) {}

  /** Whether `bytes` more fit, given the socket's queue now; counts them when they do. */
  admit(queuedNow: number, bytes: number): boolean {
    const budget = this.budget;
    budget.total += queuedNow - this.#known;
    this.#known = queuedNow;
    if (queuedNow + bytes > budget.socketCap || budget.total + bytes > budget.processCap) {
      return false;
    }
    this.#known += bytes;
    budget.total += bytes;
    return true;
  }

  /** The socket is gone: its queue no longer counts. */
  release(): void {
    this.budget.total -= this.#known;
    this.#known = 0;
  }
}
