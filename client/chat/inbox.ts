/**
 * What a received chat wire does: a message or deletion is shown (conversation.ts) and
 * acknowledged, an acknowledgement settles the outbox, typing and "verified" set the peer's
 * signals. The peer's "verified" is their claim only: it never marks this side verified. A peer
 * that holds no messages (it reloaded) gets this side's copy back; `past` messages are taken only
 * after this side said it holds none, and at most RESTORE_CAP of them.
 */
import { signal } from "@preact/signals-core";
import type { Conversation } from "./conversation.ts";
import type { Outbox } from "./outbox.ts";
import type { FileWire } from "./file_wire.ts";
import type { CallWire, ChatWire } from "./wire.ts";

/** Typing news older than this reads "not typing" (a lost "typing off" must not stick). */
const TYPING_IDLE_MS = 5000;
/** How many messages go back to a device that reloaded. */
const RESTORE_CAP = 200;

export class Inbox {
  readonly peerTyping = signal(false);
  readonly peerVerified = signal(false);
  readonly #conversation: Conversation;
  readonly #outbox: Outbox;
  readonly #transmit: (wire: ChatWire) => void;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** How many `past` messages this side still takes (after saying it holds none). */
  #pastWanted = 0;

  readonly #calls: { deliver(wire: CallWire): void };
  readonly #files: { deliver(wire: FileWire): void };

  constructor(
    conversation: Conversation,
    outbox: Outbox,
    transmit: (wire: ChatWire) => void,
    calls: { deliver(wire: CallWire): void },
    files: { deliver(wire: FileWire): void },
  ) {
    this.#calls = calls;
    this.#files = files;
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
      case "call":
      case "media":
        this.#calls.deliver(wire);
        return;
      case "file":
      case "chunk":
      case "fack":
      case "fend":
        this.#files.deliver(wire);
        return;
      case "held":
        if (wire.count > 0) return;
        for (const past of this.#conversation.restorable(RESTORE_CAP)) this.#transmit(past);
        return;
      case "past":
        if (this.#pastWanted <= 0) return;
        this.#pastWanted--;
        this.#conversation.addPast(wire);
        return;
    }
  }

  /** New keys: says how many messages this side holds, and takes the copy back if none. */
  announceHeld(): void {
    const count = this.#conversation.heldCount();
    this.#pastWanted = count === 0 ? RESTORE_CAP : 0;
    this.#transmit({ t: "held", count });
  }

  /** The peer left or the chat stopped: it is not typing any more. */
  clear(): void {
    clearTimeout(this.#typingTimer);
    this.peerTyping.value = false;
  }
}
