/**
 * The path choice: envelopes go over the WebRTC data channel (peer_link.ts) when it is open and
 * through the server's relay otherwise, and `path` says which. One direct link per handshake: a
 * new handshake closes the old link and opens another, tied to its id.
 */
import { signal } from "@preact/signals-core";
import { Parked } from "./parked.ts";
import { type LinkSignal, PeerLink, webrtcAvailable } from "./peer_link.ts";

export type ChatPath = "connecting" | "direct" | "relayed";

/** How long the data channel may take to open before the path reads "Relayed". */
const DIRECT_TIMEOUT_MS = 3000;
const MAX_PARKED_SIGNALS = 64;

export interface PathEvents {
  /** Sends a link signal of the handshake `hid` (the caller seals it). */
  signal(hid: string, message: LinkSignal): void;
  /** An envelope arrived on the data channel. */
  message(data: string): void;
  /** Runs `task` in the chat's one inbound queue. */
  serially(task: () => Promise<void>): void;
}

export class PathChoice {
  readonly path = signal<ChatPath>("connecting");
  /** The current direct link (calls put their media on it), or null. */
  readonly link = signal<PeerLink | null>(null);
  #iceServers: RTCIceServer[];
  readonly #polite: boolean;
  readonly #events: PathEvents;
  #link: PeerLink | null = null;
  #hid: string | null = null;
  #secured = false;
  #directTimer: ReturnType<typeof setTimeout> | undefined;
  /** Link signals that arrived before their handshake (see receive). */
  readonly #parked = new Parked<LinkSignal>(MAX_PARKED_SIGNALS);

  /** The guest is the polite side of the negotiation. */
  constructor(iceServers: RTCIceServer[], polite: boolean, events: PathEvents) {
    this.#iceServers = iceServers;
    this.#polite = polite;
    this.#events = events;
  }

  /** A new handshake `hid` is current: a fresh direct link for it, unsecured until it completes. */
  adopt(hid: string): void {
    this.away();
    this.#hid = hid;
    if (webrtcAvailable()) {
      const link = new PeerLink(this.#iceServers, this.#polite, {
        signal: (message) => this.#events.signal(hid, message),
        open: () => this.#update(),
        message: (data) => this.#events.message(data),
      });
      this.#link = link;
      this.link.value = link;
      for (const signal of this.#parked.take(hid)) {
        this.#events.serially(() => link.receive(signal));
      }
    }
  }

  /**
   * A link signal. The host's offer can overtake its commit (they are sealed and sent
   * concurrently), so one for a handshake not adopted yet waits until it is, instead of being lost.
   */
  async receive(hid: string, message: LinkSignal): Promise<void> {
    if (hid === this.#hid) {
      await this.#link?.receive(message);
      return;
    }
    this.#parked.park(hid, message);
  }

  /** The current handshake completed: envelopes can flow, over the link once it opens. */
  secured(): void {
    this.#secured = true;
    this.#update();
  }

  /** Sends over the data channel; false when it is not open (then the caller relays). */
  send(data: string): boolean {
    return this.#link?.send(data) ?? false;
  }

  /** The ICE servers changed (this seat's TURN credentials came or were renewed). */
  setIceServers(iceServers: RTCIceServer[]): void {
    this.#iceServers = iceServers;
    this.#link?.setIceServers(iceServers);
  }

  /** A network change (Wi-Fi to mobile, say) invalidates the direct path's candidates. */
  restartIce(): void {
    this.#link?.restartIce();
  }

  /** The peer (or my socket) is away: no link, and the path reads "connecting" until keys. */
  away(): void {
    this.close();
    this.path.value = "connecting";
  }

  /** Closes the link (the chat stopped); the path keeps its last reading. */
  close(): void {
    clearTimeout(this.#directTimer);
    this.#link?.close();
    this.#link = this.link.value = null;
    this.#hid = null;
    this.#secured = false;
  }

  #update(): void {
    clearTimeout(this.#directTimer);
    if (!this.#secured) return;
    if (this.#link?.isOpen) {
      this.path.value = "direct";
      return;
    }
    if (!this.#link) {
      this.path.value = "relayed";
      return;
    }
    // Give the data channel a moment before calling it relayed; messages use the relay meanwhile.
    if (this.path.peek() === "direct") this.path.value = "relayed";
    this.#directTimer = setTimeout(() => {
      if (!this.#link?.isOpen && this.#secured) this.path.value = "relayed";
    }, DIRECT_TIMEOUT_MS);
  }
}
