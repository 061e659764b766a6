/**
 * The chat's side of files: their wires (file_wire.ts) travel sealed in the chat's envelopes,
 * over the direct link or, for small files, the relay; each file has a line in the conversation.
 * The transfer code (client/files/) loads on demand and uses only this; wires that come before it
 * has loaded wait here (at most MAX_WAITING; a lost chunk is sent again by its sender).
 */
import type { ReadonlySignal } from "@preact/signals-core";
import type { Conversation } from "./conversation.ts";
import type { FileWire } from "./file_wire.ts";
import type { ChatPath } from "./path.ts";

const MAX_WAITING = 64;

export class FilePort {
  #listener: ((wire: FileWire) => void) | null = null;
  #waiting: FileWire[] = [];
  readonly #conversation: Conversation;

  constructor(
    /** Seals and sends a file wire; dropped while there are no keys. */
    readonly send: (wire: FileWire) => void,
    /** Which way envelopes go now: the relay takes only small files. */
    readonly path: ReadonlySignal<ChatPath>,
    conversation: Conversation,
  ) {
    this.#conversation = conversation;
  }

  /** Takes the file wires from the other side (one taker); returns the unsubscribe. */
  receive(fn: (wire: FileWire) => void): () => void {
    this.#listener = fn;
    for (const wire of this.#waiting.splice(0)) fn(wire);
    return () => {
      if (this.#listener === fn) this.#listener = null;
    };
  }

  deliver(wire: FileWire): void {
    if (this.#listener) this.#listener(wire);
    else if (this.#waiting.length < MAX_WAITING) this.#waiting.push(wire);
  }

  /** Gives a file its line in the conversation. */
  show(id: string, mine: boolean, name: string, at: number): void {
    this.#conversation.addFile(id, mine, name, at);
  }

  /** Leaves "deleted" in place of a file's line. */
  deleted(id: string): void {
    this.#conversation.removeFile(id);
  }
}
