/**
 * Files and pictures over the chat (issue 13): sealed with the chat's keys like every message
 * (file_wire.ts), sent in chunks with back-pressure (outgoing.ts), checked against their SHA-256
 * before the receiver is offered "Save" (incoming.ts). Either side can cancel; the sender can
 * delete a file from both screens. Nothing is written to storage: a received file is a Blob in
 * memory, its object URL revoked when it is deleted or the chat ends (dispose).
 *
 * Loaded on demand, with one instance per chat (components/RoomScreen.tsx).
 */
import { signal } from "@preact/signals";
import { toBase64Url } from "../crypto/encoding.ts";
import { P } from "../crypto/primitives.ts";
import type { FilePort } from "../chat/file_port.ts";
import { type FileWire, MIME } from "../chat/file_wire.ts";
import { newMessageId } from "../chat/wire.ts";
import { Incoming, RECEIVE_STALL_MS } from "./incoming.ts";
import { LOST, Outgoing } from "./outgoing.ts";
import { RelayShare } from "./relay_share.ts";
import { formatBytes } from "./sizes.ts";

export type TransferState = "preparing" | "sending" | "receiving" | "checking" | "done" | "ended";

export interface Transfer {
  id: string;
  mine: boolean;
  name: string;
  size: number;
  mime: string;
  /** Bytes the receiver holds (on the sender's side: as the receiver acknowledged). */
  bytes: number;
  state: TransferState;
  /** Why it ended without the file, in words. */
  why?: string;
  /** The checked file, to save or show (the receiver's side). */
  url?: string;
}

export interface FileLimits {
  maxBytes: number;
  relayMaxBytes: number;
}

/** Incoming transfers at once: each holds its file in memory until checked. */
const MAX_INCOMING = 4;
/**
 * Received files this page holds in memory at most, in limits of one file: a peer sending file
 * after file must not fill the device (deleting or the chat's end lets them go).
 */
const HELD_FILES = 4;
/** Pictures shown in the conversation (decoded by the browser from the checked bytes only). */
export const PREVIEWABLE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export class FileTransfers {
  readonly transfers = signal<ReadonlyMap<string, Transfer>>(new Map());
  readonly #port: FilePort;
  readonly #limits: FileLimits;
  readonly #outgoing = new Map<string, Outgoing>();
  readonly #incoming = new Map<string, Incoming>();
  readonly #relayShare = new RelayShare();
  readonly #unsubscribe: () => void;
  readonly #receiveStallMs: number;

  /** `receiveStallMs`: how long an incoming file may hear nothing before it stops (tests shorten it). */
  constructor(port: FilePort, limits: FileLimits, receiveStallMs = RECEIVE_STALL_MS) {
    this.#port = port;
    this.#limits = limits;
    this.#receiveStallMs = receiveStallMs;
    this.#unsubscribe = port.receive((wire) => this.#receive(wire));
  }

  /** Why `file` cannot be sent now, in words, or null. */
  refusal(file: { name: string; size: number }): string | null {
    const path = this.#port.path.peek();
    if (path === "connecting") return "Files can be sent once your devices are connected.";
    const { maxBytes, relayMaxBytes } = this.#limits;
    const limit = path === "direct" ? maxBytes : relayMaxBytes;
    if (file.size <= limit) return null;
    const what = `“${file.name}” is ${formatBytes(file.size)}`;
    return path === "direct" || relayMaxBytes === maxBytes
      ? `${what}; files up to ${formatBytes(maxBytes)} can be sent.`
      : `${what}; while the connection is relayed files up to ${
        formatBytes(relayMaxBytes)
      } can be sent (${formatBytes(maxBytes)} directly).`;
  }

  /** Sends `file`; answers why not (nothing was sent then), or null. */
  send(file: File): string | null {
    const refusal = this.refusal(file);
    if (refusal) return refusal;
    const id = newMessageId();
    const mime = MIME.test(file.type) ? file.type : "";
    this.#set({ id, mine: true, name: file.name.slice(0, 255) || "file", size: file.size, mime });
    const { name } = this.transfers.peek().get(id)!;
    this.#port.show(id, true, name, Date.now());
    this.#start(id, file).catch((error) => {
      console.error(error);
      this.#end(id, "The file could not be read.");
    });
    return null;
  }

  /** Stops a transfer on both sides (either side may). */
  cancel(id: string): void {
    if (!this.#live(id)) return;
    this.#port.send({ t: "fend", id, why: "cancel" });
    this.#end(id, "Cancelled.");
  }

  /** Deletes a file I sent from both screens. */
  delete(id: string): void {
    const transfer = this.transfers.peek().get(id);
    if (!transfer?.mine) return;
    this.#port.send({ t: "fend", id, why: "delete" });
    this.#forget(id);
  }

  /** The chat ended or went away: every transfer stops and every file is let go. */
  dispose(): void {
    this.#unsubscribe();
    for (const id of this.transfers.peek().keys()) this.#forget(id, false);
    this.transfers.value = new Map();
  }

  async #start(id: string, file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha = toBase64Url(await P.sha256(bytes));
    const transfer = this.transfers.peek().get(id);
    if (transfer?.state !== "preparing") return; // Cancelled or deleted meanwhile.
    const { name, mime, size } = transfer;
    const outgoing = new Outgoing(
      { t: "file", id, name, size, mime, sha },
      bytes,
      this.#port,
      this.#limits.relayMaxBytes,
      this.#relayShare,
      {
        progress: (sent) => this.#patch(id, { bytes: sent }),
        // The sender sees its own picture too, from the file it picked.
        sent: () =>
          this.#patch(id, {
            state: "done",
            url: PREVIEWABLE.has(mime) ? URL.createObjectURL(file) : undefined,
          }),
        failed: (why) => {
          this.#port.send({ t: "fend", id, why: "cancel" });
          this.#end(id, why);
        },
      },
    );
    this.#outgoing.set(id, outgoing);
    this.#patch(id, { state: "sending" });
    outgoing.start();
  }

  #receive(wire: FileWire): void {
    switch (wire.t) {
      case "file":
        return this.#offered(wire);
      case "chunk":
        return this.#incoming.get(wire.id)?.chunk(wire.i, wire.d);
      case "fack":
        return this.#outgoing.get(wire.id)?.acknowledged(wire.got);
      case "fend":
        return this.#ended(wire.id, wire.why);
    }
  }

  #offered(offer: Extract<FileWire, { t: "file" }>): void {
    const { id, name, size, mime } = offer;
    if (this.transfers.peek().has(id)) return; // Sent again after a stall.
    if (
      size > this.#limits.maxBytes || this.#incoming.size >= MAX_INCOMING ||
      this.#heldBytes() + size > HELD_FILES * this.#limits.maxBytes
    ) {
      this.#port.send({ t: "fend", id, why: "refused" });
      return;
    }
    this.#set({ id, mine: false, name, size, mime, state: "receiving" });
    this.#port.show(id, false, name, Date.now());
    this.#incoming.set(
      id,
      new Incoming(offer, this.#port, {
        progress: (bytes) => this.#patch(id, { bytes }),
        checking: () => this.#patch(id, { state: "checking" }),
        complete: (file) => {
          this.#incoming.delete(id);
          this.#patch(id, { state: "done", url: URL.createObjectURL(file) });
        },
        damaged: () => this.#end(id, "It did not match what was sent, so it was discarded."),
        lost: () => this.#end(id, LOST),
      }, this.#receiveStallMs),
    );
  }

  #ended(id: string, why: "cancel" | "refused" | "bad" | "delete"): void {
    const transfer = this.transfers.peek().get(id);
    if (!transfer) return;
    if (why === "delete") {
      if (!transfer.mine) this.#forget(id);
      return;
    }
    // News of a transfer that ended is stale. A finished one still takes "bad" (the receiver's
    // check came after the last chunk) and, receiving, "cancel": the sender's cancel overtook the
    // last chunks, and the copy is let go so that both screens agree.
    const finished = transfer.state === "done";
    const applies = this.#live(id) ||
      (finished && (why === "bad" || (why === "cancel" && !transfer.mine)));
    if (!applies) return;
    this.#end(
      id,
      why === "cancel"
        ? "They cancelled it."
        : why === "refused"
        ? "Their device did not take it (too large, or too many files at once)."
        : "It arrived damaged on their side; try again.",
    );
  }

  /** Bytes of received files held or on their way (ended ones were let go). */
  #heldBytes(): number {
    let bytes = 0;
    for (const transfer of this.transfers.peek().values()) {
      if (!transfer.mine && transfer.state !== "ended") bytes += transfer.size;
    }
    return bytes;
  }

  #live(id: string): boolean {
    const state = this.transfers.peek().get(id)?.state;
    return state === "preparing" || state === "sending" || state === "receiving" ||
      state === "checking";
  }

  #end(id: string, why: string): void {
    this.#stop(id);
    const url = this.transfers.peek().get(id)?.url;
    if (url) URL.revokeObjectURL(url);
    this.#patch(id, { state: "ended", why, bytes: 0, url: undefined });
  }

  #stop(id: string): void {
    this.#outgoing.get(id)?.stop();
    this.#incoming.get(id)?.stop();
    this.#outgoing.delete(id);
    this.#incoming.delete(id);
  }

  /** Drops a transfer and its file; its line says it was deleted (unless the chat is ending). */
  #forget(id: string, leaveLine = true): void {
    this.#stop(id);
    const url = this.transfers.peek().get(id)?.url;
    if (url) URL.revokeObjectURL(url);
    if (!leaveLine) return;
    const next = new Map(this.transfers.peek());
    next.delete(id);
    this.transfers.value = next;
    this.#port.deleted(id);
  }

  #set(transfer: Omit<Transfer, "bytes" | "state"> & { state?: TransferState }): void {
    const next = new Map(this.transfers.peek());
    next.set(transfer.id, { bytes: 0, state: "preparing", ...transfer });
    this.transfers.value = next;
  }

  #patch(id: string, patch: Partial<Transfer>): void {
    const transfer = this.transfers.peek().get(id);
    if (!transfer) return;
    const next = new Map(this.transfers.peek());
    next.set(id, { ...transfer, ...patch });
    this.transfers.value = next;
  }
}
