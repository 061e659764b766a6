/**
 * My side of the message flow: each message gets this conversation's id and the next number
 * (wire.ts), waits here until the peer acknowledges it, goes out again after each new handshake
 * or on "Retry", and reads failed once it waited `timeoutMs` unacknowledged. Deletions wait here
 * the same way. `transmit` seals and sends a wire when there are keys, and does nothing otherwise.
 *
 * Going out again is paced: at most FLUSH_BUDGET bytes of wires are unacknowledged at a time, the
 * rest follow as acknowledgements come. Through the relay they all wait in the other person's
 * socket queue at the server, which closes a socket past its cap (SOCKET_QUEUE_CAP_BYTES); ten
 * long messages written while they were away would pass it on a slow phone, and again after each
 * reconnection.
 */
import { SOCKET_QUEUE_CAP_BYTES } from "../../contract/limits.ts";
import type { Conversation } from "./conversation.ts";
import { type ChatWire, type MessageWire, newMessageId } from "./wire.ts";

/**
 * Bytes of wire JSON out at once while flushing. A sealed wire's frame is at most about twice its
 * JSON (padding, then base64), so this keeps a flush within half the queue cap.
 */
const FLUSH_BUDGET = SOCKET_QUEUE_CAP_BYTES / 4;
const encoder = new TextEncoder();

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
  /** Keys of waiting wires a flush has still to send, in order. */
  #flushing: string[] = [];
  /**
   * Each wire a flush sent that is not acknowledged yet: its bytes, and when (after the time-out
   * it no longer holds the rest back: its acknowledgement was lost with a connection).
   */
  readonly #flushed = new Map<string, { bytes: number; at: number }>();
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
    this.#enqueue(`m:${wire.id}`, wire);
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
    const freed = this.#flushed.delete(`m:${id}`);
    this.#numbers.delete(id);
    const wire: ChatWire = { t: "del", id, e: this.#epoch, n };
    this.#enqueue(`d:${id}`, wire);
    if (freed) this.#drain(); // Its share of a flush's budget is free now.
  }

  /** The peer acknowledged a message or deletion of mine. */
  acknowledged(of: "msg" | "del", id: string): void {
    const key = `${of === "msg" ? "m" : "d"}:${id}`;
    if (this.#waiting.delete(key) && of === "msg") this.#conversation.delivered(id);
    if (this.#flushed.delete(key)) this.#drain();
  }

  /** Sends everything unacknowledged again (under new keys); each message's time-out restarts. */
  flush(): void {
    const now = Date.now();
    for (const wire of this.#waiting.values()) {
      if (wire.t === "msg") this.#conversation.sending(wire.id, now);
    }
    this.#flushing = [...this.#waiting.keys()];
    this.#flushed.clear();
    this.#drain();
    this.#expireLater();
  }

  /** Forgets everything waiting (the chat stopped or is disposed). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#waiting.clear();
    this.#numbers.clear();
    this.#flushing = [];
    this.#flushed.clear();
  }

  /** A new wire waits, and goes now unless a flush is still sending: then it follows that. */
  #enqueue(key: string, wire: ChatWire): void {
    this.#waiting.set(key, wire);
    if (this.#flushing.length === 0) return this.#transmit(wire);
    this.#flushing.push(key);
  }

  /** Sends what a flush still holds, while the unacknowledged part stays within the budget. */
  #drain(): void {
    const now = Date.now();
    let out = 0;
    for (const [key, { bytes, at }] of this.#flushed) {
      if (now - at >= this.#timeoutMs) this.#flushed.delete(key);
      else out += bytes;
    }
    while (this.#flushing.length > 0 && (out < FLUSH_BUDGET || this.#flushed.size === 0)) {
      const key = this.#flushing.shift()!;
      const wire = this.#waiting.get(key);
      if (!wire) continue; // Acknowledged or deleted meanwhile.
      const bytes = encoder.encode(JSON.stringify(wire)).length;
      this.#flushed.set(key, { bytes, at: now });
      out += bytes;
      this.#transmit(wire);
    }
  }

  /** Marks messages unacknowledged for too long as failed, now and whenever one falls due. */
  #expireLater(): void {
    clearTimeout(this.#timer);
    const now = Date.now();
    const next = this.#conversation.expire(now, this.#timeoutMs);
    if (next === null) return;
    this.#timer = setTimeout(() => {
      this.#drain(); // A flush held back by a lost acknowledgement goes on.
      this.#expireLater();
    }, next - now);
  }
}
