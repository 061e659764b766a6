/**
 * Packing fan-out messages into NOTIFY payloads, and joining the parts of large frames.
 *
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. Messages bound for one channel are
 * gathered for the rest of the current task and sent as one JSON array per payload; a frame that
 * does not fit one payload (frames may be 64 KiB) travels as numbered parts, which the receiver
 * joins in order (one sending connection keeps every payload of an instance in order). A part is
 * held only until its frame is complete, and a frame whose sender died half-way is dropped after
 * a few seconds.
 */

/** Bytes of one payload at most, with room to spare under PostgreSQL's 8000. */
const MAX_PAYLOAD_BYTES = 7800;
/** Parts of a frame whose sender died half-way are dropped after this long. */
const PART_TTL_MS = 10_000;

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

type Notify = (channel: string, payload: string) => Promise<void>;

interface Outbox {
  sealed: string[];
  items: string[];
  bytes: number;
}

export class PayloadPacker {
  readonly #outboxes = new Map<string, Outbox>();
  #scheduled = false;
  #sending: Promise<unknown> = Promise.resolve();
  #nextPart = 0;
  readonly #sender = crypto.randomUUID().slice(0, 8);

  constructor(private readonly notify: Notify) {}

  /** Queues `message` (a JSON array) for `channel`; it leaves at the end of the current task. */
  push(channel: string, message: unknown[]): void {
    const text = JSON.stringify(message);
    const bytes = byteLength(text);
    if (bytes + 2 <= MAX_PAYLOAD_BYTES) this.#queue(channel, text, bytes);
    else if (message[0] === "f") this.#split(channel, message as [string, string, string, string]);
    // Nothing else grows with user input; a message that still does not fit is a bug, not data.
    else console.error(`Fan-out message of ${bytes} bytes dropped: ${text.slice(0, 40)}`);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#send());
    }
  }

  /** Sends what is queued and resolves once every NOTIFY so far has been answered. */
  flush(): Promise<void> {
    this.#send();
    return this.#sending.then(() => {});
  }

  #split(channel: string, [, session, role, frame]: [string, string, string, string]) {
    const id = `${this.#sender}.${this.#nextPart++}`;
    const pieces: string[] = [];
    // Up to 3 bytes per UTF-16 unit once escaped: shrink a piece until it fits.
    for (let start = 0; start < frame.length;) {
      let units = MAX_PAYLOAD_BYTES - 200;
      let piece = frame.slice(start, start + units);
      while (byteLength(JSON.stringify(piece)) > MAX_PAYLOAD_BYTES - 200) {
        units = Math.floor(units * 0.7);
        piece = frame.slice(start, start + units);
      }
      pieces.push(piece);
      start += piece.length;
    }
    pieces.forEach((piece, index) => {
      const text = JSON.stringify(["p", id, index, pieces.length, session, role, piece]);
      this.#queue(channel, text, byteLength(text));
    });
  }

  #queue(channel: string, text: string, bytes: number) {
    let outbox = this.#outboxes.get(channel);
    if (!outbox) {
      outbox = { sealed: [], items: [], bytes: 2 };
      this.#outboxes.set(channel, outbox);
    }
    if (outbox.bytes + bytes + 1 > MAX_PAYLOAD_BYTES) {
      outbox.sealed.push(`[${outbox.items.join(",")}]`);
      outbox.items = [];
      outbox.bytes = 2;
    }
    outbox.items.push(text);
    outbox.bytes += bytes + 1;
  }

  #send() {
    this.#scheduled = false;
    const sends: Promise<void>[] = [];
    for (const [channel, outbox] of this.#outboxes) {
      if (outbox.items.length > 0) outbox.sealed.push(`[${outbox.items.join(",")}]`);
      // Not awaited one by one: the single connection pipelines them and keeps their order.
      for (const payload of outbox.sealed) sends.push(this.notify(channel, payload));
    }
    this.#outboxes.clear();
    if (sends.length > 0) this.#sending = Promise.all([this.#sending, ...sends]);
  }
}

/** Joins the parts of large frames back into one "f" message, in order. */
export class PartAssembler {
  readonly #pending = new Map<string, { pieces: string[]; count: number; at: number }>();

  /** The messages of one payload, parts of large frames joined: each whole one, in order. */
  messagesOf(payload: string): unknown[][] {
    let messages: unknown;
    try {
      messages = JSON.parse(payload);
    } catch {
      return [];
    }
    if (!Array.isArray(messages)) return [];
    const whole: unknown[][] = [];
    for (const message of messages) {
      if (!Array.isArray(message)) continue;
      const joined = message[0] === "p" ? this.add(message) : message;
      if (joined) whole.push(joined);
    }
    return whole;
  }

  /** Takes a part; returns the whole frame message once its last part is in. */
  add(message: unknown[]): unknown[] | null {
    const [, id, index, total, session, role, piece] = message as [
      string,
      string,
      number,
      number,
      string,
      string,
      string,
    ];
    if (typeof id !== "string" || typeof piece !== "string" || !(index < total)) return null;
    let entry = this.#pending.get(id);
    if (!entry) {
      entry = { pieces: new Array(total), count: 0, at: Date.now() };
      this.#pending.set(id, entry);
    }
    if (entry.pieces[index] === undefined) entry.count++;
    entry.pieces[index] = piece;
    if (entry.count < total) return null;
    this.#pending.delete(id);
    return ["f", session, role, entry.pieces.join("")];
  }

  /** Forgets frames that stayed incomplete (their sender went away mid-frame). */
  dropStale(now = Date.now()): void {
    for (const [id, entry] of this.#pending) {
      if (entry.at < now - PART_TTL_MS) this.#pending.delete(id);
    }
  }
}
