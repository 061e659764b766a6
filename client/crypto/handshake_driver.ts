/**
 * Keeps one seat's handshake going across reloads, reconnects and failures, so the transport only
 * has to pass messages through. It owns the current `Handshake` attempt and applies these rules:
 *
 * - `start()` begins a fresh attempt. Host: a new commit. Guest: `{kind:"hello"}`, asking the host
 *   for a new commit (the guest cannot start on its own: the host names each attempt).
 * - Host: a `hello` always starts a fresh attempt (the guest reloaded and lost its keys).
 * - Guest: a `commit` with an hid other than the current one starts a fresh attempt (the host
 *   reloaded or restarted), even mid-handshake or after a finished one.
 * - Any other message whose hid is not the current attempt's is stale and ignored, and so is
 *   anything arriving after the current attempt finished (a replay cannot undo a finished one).
 *
 * When to call `start()`: on the guest, whenever it (re)connects while the host is connected and
 * whenever the host newly connects; the host then answers. Calling it on the host too is harmless.
 * A `result` replaces the previous channel; keep using the old one until it arrives.
 */
import { Handshake, type HandshakeOptions, type HandshakeResult } from "./handshake.ts";
import { type HandshakeMessage, parseHandshakeMessage } from "./handshake_messages.ts";

export interface DriverStep {
  /** Messages to seal and send to the peer, in order. */
  send: HandshakeMessage[];
  /** Set exactly once per attempt: when this message completed it. */
  result: HandshakeResult | null;
}

export class HandshakeDriver {
  private attempt: Handshake | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: HandshakeOptions) {}

  /** The current attempt, if any (for its `id`, `algorithm` or `done`). */
  get current(): Handshake | null {
    return this.attempt;
  }

  /** Starts a fresh attempt and returns what to send. */
  start(): Promise<HandshakeMessage[]> {
    return this.serial(async () => {
      if (this.options.role === "guest") {
        this.attempt = null;
        return [{ kind: "hello", hid: "" }];
      }
      return (await this.fresh()).start();
    });
  }

  /**
   * Feeds one (already unsealed) message from the peer. Throws `CryptoCheckError` when the
   * current attempt fails a check; the next `start()` or new commit begins a clean one.
   */
  receive(value: unknown): Promise<DriverStep> {
    return this.serial(async () => {
      const message = parseHandshakeMessage(value);
      const host = this.options.role === "host";
      if (message.kind === "hello") {
        return host ? { send: await (await this.fresh()).start(), result: null } : idle();
      }
      let attempt = this.attempt;
      if (!host && message.kind === "commit" && message.hid !== attempt?.id) {
        attempt = await this.fresh();
      } else if (attempt === null || message.hid !== attempt.id || attempt.done) {
        return idle(); // stale, or a replay after this attempt finished
      }
      const send = await attempt.receive(message);
      return { send, result: attempt.done ? attempt.result() : null };
    });
  }

  private async fresh(): Promise<Handshake> {
    this.attempt = await Handshake.create(this.options);
    return this.attempt;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }
}

function idle(): DriverStep {
  return { send: [], result: null };
}
