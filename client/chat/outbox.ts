/**
 * My side of the message flow: each message gets this conversation's id and the next number
 * (wire.ts), waits here until the peer acknowledges it, goes out again after each new handshake
 * or on "Retry", and reads failed once it waited `timeoutMs` unacknowledged. Deletions wait here
 * the same way. `transmit` seals and sends a wire when there are keys, and does nothing otherwise.
 */
import type { Conversation } from "./conversation.ts";
import { type ChatWire, type MessageWire, newMessageId } from "./wire.ts";

export class Outbox {
  readonly #conversation: Conversation;
  readonly #transmit: (wire: ChatWire) => void;
  readonly #timeoutMs: number;
  readonly #epoch = newMessageId();
  #sent = 0;
  /** Unacknowledged messages and deletions, in the order they were made. */
  readonly #waiting = new Map<string, ChatWire>();
  /** The number of each of my messages, so that its deletion can name it. */
  readonly #numbers = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    conversation: Conversation,
    transmit: (wire: ChatWire) => void,
    timeoutMs: number,
  ) {
    this.#conversation = conversation;
    this.#transmit = transmit;
    this.#timeoutMs = timeoutMs;
  }

  /** Shows and sends a new message of mine. */
  send(text: string, re?: string): void {
    const at = Date.now();
    const wire: MessageWire = {
      t: "msg",
      id: newMessageId(),
      text,
      at,
      e: this.#epoch,
      n: this.#sent++,
      ...(re ? { re } : {}),
    };
    this.#conversation.addMine(wire.id, text, at, at, re);
    this.#numbers.set(wire.id, wire.n);
    this.#waiting.set(`m:${wire.id}`, wire);
    this.#transmit(wire);
    this.#expireLater();
  }

  /** Sends a message of mine again (it was marked failed). */
  retry(id: string): void {
    const wire = this.#waiting.get(`m:${id}`);
    if (!wire) return;
    this.#conversation.sending(id, Date.now());
    this.#transmit(wire);
    this.#expireLater();
  }

  /** Removes a message of mine here and tells the other side to remove it. */
  delete(id: string): void {
    const n = this.#numbers.get(id);
    if (n === undefined) return;
    this.#conversation.removeMine(id);
    this.#waiting.delete(`m:${id}`);
    this.#numbers.delete(id);
    const wire: ChatWire = { t: "del", id, e: this.#epoch, n };
    this.#waiting.set(`d:${id}`, wire);
    this.#transmit(wire);
  }

  /** The peer acknowledged a message or deletion of mine. */
  acknowledged(of: "msg" | "del", id: string): void {
    if (this.#waiting.delete(`${of === "msg" ? "m" : "d"}:${id}`) && of === "msg") {
      this.#conversation.delivered(id);
    }
  }

  /** Sends everything unacknowledged again (under new keys); each message's time-out restarts. */
  flush(): void {
    const now = Date.now();
    for (const wire of this.#waiting.values()) {
      if (wire.t === "msg") this.#conversation.sending(wire.id, now);
      this.#transmit(wire);
    }
    this.#expireLater();
  }

  /** Forgets everything waiting (the chat stopped or is disposed). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#waiting.clear();
    this.#numbers.clear();
  }

  /** Marks messages unacknowledged for too long as failed, now and whenever one falls due. */
  #expireLater(): void {
    clearTimeout(this.#timer);
    const now = Date.now();
    const next = this.#conversation.expire(now, this.#timeoutMs);
    if (next !== null) this.#timer = setTimeout(() => this.#expireLater(), next - now);
  }
}
