/**
 * The room socket's frames as the chat sees them (its {@link SocketPort}): frames go out through
 * the current socket, and every server frame goes to the subscribers. The chat engine loads on
 * demand, so the signals that come before anyone listens are kept (a few) and handed to the first
 * subscriber.
 */
import type { ClientFrame, ServerFrame } from "../contract/frames.ts";
import type { SocketPort } from "./chat/chat_session.ts";

const MAX_EARLY_SIGNALS = 64;

export class FramePort implements SocketPort {
  readonly #listeners = new Set<(frame: ServerFrame) => void>();
  readonly #early: ServerFrame[] = [];
  /** Sends through the room's current socket (nothing while there is none). */
  readonly send: (frame: ClientFrame) => void;

  constructor(send: (frame: ClientFrame) => void) {
    this.send = send;
  }

  receive(fn: (frame: ServerFrame) => void): () => void {
    this.#listeners.add(fn);
    for (const frame of this.#early.splice(0)) fn(frame);
    return () => this.#listeners.delete(fn);
  }

  /** A frame from the socket. */
  deliver(frame: ServerFrame): void {
    if (!this.#listeners.size) {
      if (frame.type === "signal" && this.#early.length < MAX_EARLY_SIGNALS) {
        this.#early.push(frame);
      }
      return;
    }
    for (const fn of this.#listeners) fn(frame);
  }
}
