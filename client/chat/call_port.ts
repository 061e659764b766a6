/**
 * The chat's side of calls: call control travels sealed in the chat's envelopes (wire.ts
 * `CallWire`) and the media on the direct link's RTCPeerConnection, negotiated by the same
 * perfect-negotiation link (peer_link.ts). So a call is as private as the chat: its DTLS
 * fingerprints are in signalling the server cannot read or change. The call code (client/call/)
 * loads on demand and uses only this.
 */
import type { ReadonlySignal } from "@preact/signals-core";
import type { PeerLink } from "./peer_link.ts";
import type { CallWire } from "./wire.ts";

export class CallPort {
  readonly #listeners = new Set<(wire: CallWire) => void>();
  /** A ring that came before any listener (the call code still loading). */
  #unheard: CallWire | null = null;

  constructor(
    /** Seals and sends a control wire; dropped while there are no keys. */
    readonly send: (wire: CallWire) => void,
    /** The current direct link, or null (no WebRTC here, or the other person is away). */
    readonly link: ReadonlySignal<PeerLink | null>,
  ) {}

  /** Subscribes to control wires from the other side; returns the unsubscribe. */
  receive(fn: (wire: CallWire) => void): () => void {
    this.#listeners.add(fn);
    const unheard = this.#unheard;
    this.#unheard = null;
    if (unheard) fn(unheard);
    return () => this.#listeners.delete(fn);
  }

  deliver(wire: CallWire): void {
    if (this.#listeners.size === 0) {
      if (wire.t === "call") this.#unheard = wire.act === "ring" ? wire : null;
      return;
    }
    for (const fn of this.#listeners) fn(wire);
  }
}
