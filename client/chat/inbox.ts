/**
 * What a received chat wire does: a message or deletion is shown (conversation.ts) and
 * acknowledged, an acknowledgement settles the outbox, typing and "verified" set the peer's
 * signals. The peer's "verified" is their claim only: it never marks this side verified.
 */
import { signal } from "@preact/signals-core";
import type { Conversation } from "./conversation.ts";
import type { Outbox } from "./outbox.ts";
import type { ChatWire } from "./wire.ts";

/** Typing news older than this reads "not typing" (a lost "typing off" must not stick). */
const TYPING_IDLE_MS = 5000;

export class Inbox {
  readonly peerTyping = signal(false);
  readonly peerVerified = signal(false);
  readonly #conversation: Conversation;
  readonly #outbox: Outbox;
  readonly #transmit: (wire: ChatWire) => void;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(conversation: Conversation, outbox: Outbox, transmit: (wire: ChatWire) => void) {
    this.#conversation = conversation;
    this.#outbox = outbox;
    this.#transmit = transmit;
  }

  receive(wire: ChatWire): void {
    switch (wire.t) {
      case "msg":
        if (this.#conversation.addTheirs(wire)) this.peerTyping.value = false;
        this.#transmit({ t: "ack", of: "msg", id: wire.id });
        return;
      case "del":
        this.#conversation.removeTheirs(wire.id, wire.e, wire.n);
        this.#transmit({ t: "ack", of: "del", id: wire.id });
        return;
      case "ack":
        this.#outbox.acknowledged(wire.of, wire.id);
        return;
      case "typing":
        this.peerTyping.value = wire.on;
        clearTimeout(this.#typingTimer);
        if (wire.on) {
          this.#typingTimer = setTimeout(() => this.peerTyping.value = false, TYPING_IDLE_MS);
        }
        return;
      case "verified":
        this.peerVerified.value = true;
        return;
    }
  }

  /** The peer left or the chat stopped: it is not typing any more. */
  clear(): void {
    clearTimeout(this.#typingTimer);
    this.peerTyping.value = false;
  }
}
