/**
 * Sending one file: its chunks go out at most a window ahead of what the receiver acknowledged, so
 * neither the data channel's buffer nor the relay's queue grows without bound (back-pressure from
 * the far end, whatever the path). Over the relay the window is shared by all of the chat's files
 * (relay_share.ts), so that what waits at the server for a slow receiver stays within its socket's
 * queue cap (past it the server closes that socket), and chunks are spaced RELAY_GAP_MS apart,
 * under the socket's frame-rate limit with room left for the chat. A file waiting for its turn
 * there is not stalled. Without progress for STALL_MS it sends again from the last
 * acknowledged chunk (a path or key change loses what was in flight), and gives up after
 * GIVE_UP_STALLS such tries.
 */
import { toBase64Url } from "../crypto/encoding.ts";
import type { FilePort } from "../chat/file_port.ts";
import { FILE_CHUNK_BYTES, type FileWire } from "../chat/file_wire.ts";
import type { RelayShare } from "./relay_share.ts";
import { formatBytes } from "./sizes.ts";

const DIRECT_WINDOW = 32;
const RELAY_GAP_MS = 12;
const STALL_MS = 4000;
const GIVE_UP_STALLS = 4;
/** Why a transfer stopped when the other side went quiet (said on either side). */
export const LOST = "The transfer stopped: the connection to them was lost.";

export interface OutgoingEvents {
  /** The receiver holds this many bytes. */
  progress(bytes: number): void;
  /** The receiver holds every chunk (it checks the whole next and says if it failed). */
  sent(): void;
  failed(why: string): void;
}

export class Outgoing {
  readonly #offer: Extract<FileWire, { t: "file" }>;
  readonly #bytes: Uint8Array;
  readonly #port: FilePort;
  readonly #relayMaxBytes: number;
  readonly #share: RelayShare;
  readonly #events: OutgoingEvents;
  readonly #chunks: number;
  #next = 0;
  #got = 0;
  #stalls = 0;
  #heard = false;
  #pumping = false;
  #stopped = false;
  /** Waiting, with nothing out, for other files to free the relay's share. */
  #queued = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    offer: Extract<FileWire, { t: "file" }>,
    bytes: Uint8Array,
    port: FilePort,
    relayMaxBytes: number,
    share: RelayShare,
    events: OutgoingEvents,
  ) {
    this.#offer = offer;
    this.#bytes = bytes;
    this.#port = port;
    this.#relayMaxBytes = relayMaxBytes;
    this.#share = share;
    this.#events = events;
    this.#chunks = Math.ceil(bytes.length / FILE_CHUNK_BYTES);
  }

  start(): void {
    this.#port.send(this.#offer);
    this.#pump();
  }

  /** The receiver holds the first `got` chunks. */
  acknowledged(got: number): void {
    // An empty file is acknowledged with 0: news only the first time.
    if (this.#stopped || (got <= this.#got && (got > 0 || this.#heard))) return;
    this.#heard = true;
    this.#got = Math.min(got, this.#chunks);
    this.#stalls = 0;
    this.#reportInFlight();
    this.#events.progress(Math.min(this.#bytes.length, this.#got * FILE_CHUNK_BYTES));
    if (this.#got >= this.#chunks) {
      this.stop();
      this.#events.sent();
    } else this.#pump();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#share.leave(this.#offer.id);
  }

  async #pump(): Promise<void> {
    if (this.#pumping || this.#stopped) return;
    this.#pumping = true;
    try {
      while (!this.#stopped && this.#next < this.#chunks) {
        const path = this.#port.path.peek();
        if (path === "connecting") break; // No keys now: the stall timer tries again later.
        const inFlight = this.#next - this.#got;
        if (inFlight >= DIRECT_WINDOW) break;
        if (path === "relayed" && !this.#share.room(this.#offer.id, inFlight)) {
          this.#queued = inFlight === 0;
          this.#share.wait(this.#offer.id, () => {
            this.#queued = false;
            this.#pump();
          });
          break;
        }
        if (path === "relayed" && this.#bytes.length > this.#relayMaxBytes) {
          this.stop();
          this.#events.failed(
            `The direct connection was lost; files over ${
              formatBytes(this.#relayMaxBytes)
            } need it.`,
          );
          return;
        }
        const i = this.#next++;
        const chunk = this.#bytes.subarray(i * FILE_CHUNK_BYTES, (i + 1) * FILE_CHUNK_BYTES);
        this.#port.send({ t: "chunk", id: this.#offer.id, i, d: toBase64Url(chunk) });
        this.#reportInFlight();
        if (path === "relayed") await new Promise((resolve) => setTimeout(resolve, RELAY_GAP_MS));
      }
    } finally {
      this.#pumping = false;
    }
    this.#watch();
  }

  #reportInFlight(): void {
    this.#share.report(this.#offer.id, Math.max(0, this.#next - this.#got));
  }

  /** Without progress for STALL_MS: again from the last acknowledged chunk (and the offer). */
  #watch(): void {
    clearTimeout(this.#timer);
    if (this.#stopped || this.#queued) return;
    const got = this.#got;
    this.#timer = setTimeout(() => {
      if (this.#stopped || this.#got !== got) return;
      if (++this.#stalls > GIVE_UP_STALLS) {
        this.stop();
        this.#events.failed(LOST);
        return;
      }
      if (this.#got === 0) this.#port.send(this.#offer);
      this.#next = this.#got;
      this.#reportInFlight();
      this.#pump();
    }, STALL_MS);
  }
}
