/**
 * Receiving one file: chunks are kept by their index (a path change may reorder or repeat them),
 * each must have exactly the length its place implies, and each one that lengthens the run of
 * leading chunks held is acknowledged (the sender's window, which over the relay is a couple of
 * chunks). Once all are here the whole is checked against the offer's SHA-256 before anything is
 * offered to save. A transfer that hears no chunk for RECEIVE_STALL_MS stops: its sender is gone
 * (a sender that is still there gives up sooner, after about 20 s without progress, and says so).
 */
import { fromBase64Url, toBase64Url } from "../crypto/encoding.ts";
import { P } from "../crypto/primitives.ts";
import type { FilePort } from "../chat/file_port.ts";
import { FILE_CHUNK_BYTES, type FileWire } from "../chat/file_wire.ts";

/** The page shows progress every this many chunks (a re-render per chunk would be wasted). */
const PROGRESS_EVERY = 8;
/** Without a chunk for this long a transfer stops (longer than the sender's ~20 s give-up). */
export const RECEIVE_STALL_MS = 30_000;

export interface IncomingEvents {
  progress(bytes: number): void;
  /** Every byte arrived: checking the whole. */
  checking(): void;
  /** Checked: the file as the sender had it. */
  complete(file: Blob): void;
  /** A chunk or the whole failed its check (the sender is told). */
  damaged(): void;
  /** No chunk came for the stall time: the transfer stopped. */
  lost(): void;
}

export class Incoming {
  readonly #offer: Extract<FileWire, { t: "file" }>;
  readonly #port: FilePort;
  readonly #events: IncomingEvents;
  readonly #chunks: number;
  #parts: (Uint8Array | undefined)[];
  /** How many leading chunks are here. */
  #leading = 0;
  #bytes = 0;
  #stopped = false;
  /** Every chunk is here: copies sent again meanwhile change nothing. */
  #whole = false;
  readonly #stallMs: number;
  /** When the last chunk came (ms); one timer checks it, rather than one timer per chunk. */
  #heardAt = Date.now();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    offer: Extract<FileWire, { t: "file" }>,
    port: FilePort,
    events: IncomingEvents,
    stallMs = RECEIVE_STALL_MS,
  ) {
    this.#offer = offer;
    this.#port = port;
    this.#events = events;
    this.#stallMs = stallMs;
    this.#chunks = Math.ceil(offer.size / FILE_CHUNK_BYTES);
    this.#parts = new Array(this.#chunks);
    if (this.#chunks === 0) this.#finish();
    else this.#watch(stallMs);
  }

  chunk(i: number, data: string): void {
    if (this.#stopped || this.#whole || i >= this.#chunks) return;
    this.#heardAt = Date.now();
    if (this.#parts[i]) {
      // Sent again after a stall: say again how far this side is.
      this.#ack();
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = fromBase64Url(data);
    } catch {
      return this.#damaged();
    }
    const expected = i < this.#chunks - 1
      ? FILE_CHUNK_BYTES
      : this.#offer.size - FILE_CHUNK_BYTES * (this.#chunks - 1);
    if (bytes.length !== expected) return this.#damaged();
    this.#parts[i] = bytes;
    this.#bytes += bytes.length;
    const before = this.#leading;
    while (this.#leading < this.#chunks && this.#parts[this.#leading]) this.#leading++;
    if (this.#leading === this.#chunks) return void this.#finish();
    if (this.#leading === before) return;
    this.#ack();
    if (Math.floor(this.#leading / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) {
      this.#events.progress(this.#bytes);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#parts = [];
    clearTimeout(this.#timer);
  }

  #watch(ms: number): void {
    this.#timer = setTimeout(() => {
      if (this.#stopped || this.#whole) return;
      const quiet = Date.now() - this.#heardAt;
      if (quiet < this.#stallMs) return this.#watch(this.#stallMs - quiet);
      this.stop();
      this.#events.lost();
    }, ms);
  }

  #ack(): void {
    this.#port.send({ t: "fack", id: this.#offer.id, got: this.#leading });
  }

  async #finish(): Promise<void> {
    this.#whole = true;
    clearTimeout(this.#timer);
    this.#ack();
    this.#events.progress(this.#offer.size);
    this.#events.checking();
    const type = this.#offer.mime;
    const file = new Blob(this.#parts as Uint8Array<ArrayBuffer>[], { type });
    this.#parts = [];
    const digest = await P.sha256(new Uint8Array(await file.arrayBuffer()));
    if (this.#stopped) return;
    if (toBase64Url(digest) !== this.#offer.sha) return this.#damaged();
    this.#stopped = true;
    this.#events.complete(file);
  }

  #damaged(): void {
    this.stop();
    this.#port.send({ t: "fend", id: this.#offer.id, why: "bad" });
    this.#events.damaged();
  }
}
