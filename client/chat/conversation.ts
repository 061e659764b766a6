/**
 * The message list of one conversation, kept honest against a path that may reorder or drop
 * envelopes (a relay in the middle can do both; it cannot forge or read them).
 *
 * - Their messages are shown in their sender's order (wire.ts numbers them): one that arrives
 *   after a later one takes its place and is flagged as late.
 * - A number skipped leaves a placeholder ("did not arrive") until the message comes, or its
 *   deletion says it never will.
 * - My messages read "sending" until acknowledged, and "failed" once `timeoutMs` passed without
 *   an acknowledgement, so nothing reads "Sending…" forever.
 * - A deleted message leaves a line saying so (its text is gone), on both screens; the
 *   conversation also carries notes of what happened to it (the other person left, came back,
 *   the safety code changed).
 *
 * Pure state: the caller passes the time, so tests need no timers.
 */
import { signal } from "@preact/signals-core";
import type { MessageWire, PastWire } from "./wire.ts";

/** Bounds what a peer can make this side remember with deletions of numbers it never sent. */
const MAX_SKIPPED = 1000;

export type Delivery = "sending" | "delivered" | "failed";

export interface ChatMessage {
  id: string;
  mine: boolean;
  text: string;
  at: number;
  /** Mine: how far it got. */
  delivery?: Delivery;
  /** Theirs: it arrived after a later message of theirs. */
  late?: boolean;
  /** Theirs: the sender's conversation and number (a placeholder's first missing number). */
  e?: string;
  n?: number;
  /** A placeholder for their messages `n`..`to` that have not arrived. */
  to?: number;
  /** Deleted by its author: only the line saying so is left. */
  deleted?: boolean;
  /** The message this one replies to, by id (shown from this side's own copy). */
  re?: string;
  /** The other device's copy, sent back after this side reloaded (past in wire.ts). */
  restored?: boolean;
  /** A restored message's place in that copy. */
  k?: number;
  /** A file's line: `text` is its name, the transfer itself is client/files/' (same id). */
  file?: true;
  /** Not a message but a note of what happened in the conversation. */
  note?: ConversationNote;
}

export type ConversationNote = "joined" | "away" | "back" | "code_changed" | "restored";

/** A message a person wrote and can still read (not a note, a deletion or a placeholder). */
const isReadable = (m: ChatMessage) => !m.note && !m.deleted && m.to === undefined;

/** How many of their messages a placeholder stands for. */
export const missingCount = (message: ChatMessage): number =>
  message.to === undefined ? 0 : message.to - message.n! + 1;

export class Conversation {
  readonly messages = signal<ChatMessage[]>([]);
  readonly #seen = new Set<string>();
  /** When each of my unacknowledged messages was last sent. */
  readonly #sentAt = new Map<string, number>();
  #epoch = "";
  #next = 0;
  /** Numbers of theirs not reached yet whose deletion already came. */
  readonly #skipped = new Set<number>();

  /** Adds one of my messages, sent at `now`. */
  addMine(id: string, text: string, at: number, now: number, re?: string): void {
    this.messages.value = [...this.messages.peek(), {
      id,
      mine: true,
      text,
      at,
      ...(re ? { re } : {}),
    }];
    this.sending(id, now);
  }

  /** One of my messages went out (again) at `now`: its time-out starts over. */
  sending(id: string, now: number): void {
    this.#sentAt.set(id, now);
    this.#mark(id, "sending");
  }

  delivered(id: string): void {
    this.#sentAt.delete(id);
    this.#mark(id, "delivered");
  }

  /** Marks my messages unacknowledged for `timeoutMs` as failed; the next time one falls due. */
  expire(now: number, timeoutMs: number): number | null {
    let next: number | null = null;
    for (const [id, at] of this.#sentAt) {
      if (now - at >= timeoutMs) {
        this.#sentAt.delete(id);
        this.#mark(id, "failed");
      } else next = Math.min(next ?? Infinity, at + timeoutMs);
    }
    return next;
  }

  /** Adds one of their messages where its sender put it; false when it was already shown. */
  addTheirs(wire: MessageWire): boolean {
    if (this.#seen.has(wire.id)) return false;
    this.#seen.add(wire.id);
    const { id, text, at, e, n, re } = wire;
    const message: ChatMessage = { id, mine: false, text, at, e, n, ...(re ? { re } : {}) };
    this.#enter(e);
    if (n < this.#next) {
      if (!this.#fill(e, n, { ...message, late: true })) {
        this.messages.value = [...this.messages.peek(), { ...message, late: true }];
      }
      return true;
    }
    const from = this.#next;
    this.#next = n + 1;
    const list = [...this.messages.peek()];
    if (n > from) {
      list.push({ id: `gap.${e}.${from}`, mine: false, text: "", at, e, n: from, to: n - 1 });
    }
    list.push(message);
    this.messages.value = list;
    // Numbers whose deletion came first never leave a hole.
    for (const skipped of this.#skipped) {
      if (skipped >= from && skipped < n) this.#fill(e, skipped, null);
    }
    return true;
  }

  /** Removes one of my messages, leaving the line that says it was deleted. */
  removeMine(id: string): void {
    this.#sentAt.delete(id);
    this.#erase((m) => m.mine && m.id === id);
  }

  /** How many messages this side shows: none means it has nothing to show (it reloaded). */
  heldCount(): number {
    return this.messages.peek().filter(isReadable).length;
  }

  /**
   * The last `cap` readable messages for a device that lost its copy: mine only once delivered
   * (the outbox re-sends the others as themselves), restored ones never (they are not ours).
   */
  restorable(cap: number): PastWire[] {
    return this.messages.peek()
      // Files are not sent back: their bytes were never kept.
      .filter((m) =>
        isReadable(m) && !m.file && !m.restored && (!m.mine || m.delivery === "delivered")
      )
      .slice(-cap)
      .map((m, k) => ({ t: "past", id: m.id, text: m.text, at: m.at, mine: m.mine, k }));
  }

  /** Puts the other device's copy of a message in the restored block at the top, once. */
  addPast(wire: PastWire): void {
    if (this.#seen.has(wire.id)) return;
    this.#seen.add(wire.id);
    let list = this.messages.peek();
    // The block opens with a note saying whose copy it is.
    if (list[0]?.note !== "restored") {
      const note: ChatMessage = { id: "note.restored", mine: false, text: "", at: wire.at };
      list = [{ ...note, note: "restored" }, ...list];
    }
    let at = list.findIndex((m, index) => index > 0 && (!m.restored || m.k! > wire.k));
    if (at < 0) at = list.length;
    // Their "mine" is my "theirs", and the other way round.
    const { id, text, k } = wire;
    const message = { id, mine: !wire.mine, text, at: wire.at, restored: true, k };
    this.messages.value = [...list.slice(0, at), message, ...list.slice(at)];
  }

  /** Adds a file's line where it comes, once (the offer may be sent again after new keys). */
  addFile(id: string, mine: boolean, name: string, at: number): void {
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    this.messages.value = [...this.messages.peek(), { id, mine, text: name, at, file: true }];
  }

  /** Its sender deleted a file: only the line saying so is left, on both screens. */
  removeFile(id: string): void {
    this.#erase((m) => m.file === true && m.id === id);
  }

  /** Adds a note of what happened at `at` (not said twice in a row). */
  addNote(note: ConversationNote, at: number): void {
    const list = this.messages.peek();
    if (list.at(-1)?.note === note) return;
    this.messages.value = [...list, {
      id: `note.${at}.${list.length}`,
      mine: false,
      text: "",
      at,
      note,
    }];
  }

  /** Removes their message `id` (number `n`), or the hole it left, or the one it would leave. */
  removeTheirs(id: string, e: string, n: number): void {
    this.#seen.add(id);
    this.#enter(e);
    if (n >= this.#next) {
      if (this.#skipped.size < MAX_SKIPPED) this.#skipped.add(n);
    } else if (!this.#fill(e, n, null)) {
      this.#erase((m) => !m.mine && m.id === id);
    }
  }

  #erase(which: (message: ChatMessage) => boolean): void {
    this.messages.value = this.messages.peek().map((m) =>
      which(m) && !m.note ? { id: m.id, mine: m.mine, text: "", at: m.at, deleted: true } : m
    );
  }

  clear(): void {
    this.#seen.clear();
    this.#sentAt.clear();
    this.messages.value = [];
  }

  #mark(id: string, delivery: Delivery): void {
    this.messages.value = this.messages.peek().map((m) =>
      m.mine && m.id === id ? { ...m, delivery } : m
    );
  }

  /** Puts `message` (or nothing) in place of number `n` inside a placeholder; false if none. */
  #fill(e: string, n: number, message: ChatMessage | null): boolean {
    const list = this.messages.peek();
    const at = list.findIndex((m) => m.to !== undefined && m.e === e && m.n! <= n && n <= m.to);
    if (at < 0) return false;
    const gap = list[at];
    const parts: ChatMessage[] = [];
    if (gap.n! < n) parts.push({ ...gap, to: n - 1 });
    if (message) parts.push(message);
    if (n < gap.to!) parts.push({ ...gap, id: `gap.${e}.${n + 1}`, n: n + 1 });
    this.messages.value = [...list.slice(0, at), ...parts, ...list.slice(at + 1)];
    return true;
  }

  /** Follows their conversation `e`; a new one (they reloaded) numbers from 0 again. */
  #enter(e: string): void {
    if (e === this.#epoch) return;
    this.#epoch = e;
    this.#next = 0;
    this.#skipped.clear();
  }
}
