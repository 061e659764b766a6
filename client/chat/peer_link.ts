/**
 * The direct path: one RTCPeerConnection with one data channel, negotiated with the
 * "perfect negotiation" pattern (the host is impolite, the guest polite), so offers that cross
 * (glare) resolve themselves. Signalling leaves through `signal`, already sealed by the caller.
 */

export type LinkSignal =
  | { kind: "description"; description: RTCSessionDescriptionInit }
  | { kind: "candidate"; candidate: RTCIceCandidateInit | null };

export interface PeerLinkEvents {
  /** Sends a signalling message to the other browser (the caller seals it). */
  signal(message: LinkSignal): void;
  /** The data channel opened (true) or closed (false). */
  open(isOpen: boolean): void;
  /** A text frame arrived on the data channel. */
  message(data: string): void;
}

/** Whether this browser can make a direct connection at all. */
export function webrtcAvailable(): boolean {
  return typeof RTCPeerConnection === "function";
}

export class PeerLink {
  readonly #pc: RTCPeerConnection;
  #channel: RTCDataChannel | null = null;
  readonly #polite: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  /** Candidates that arrive before the remote description are queued, not dropped. */
  #pendingCandidates: (RTCIceCandidateInit | null)[] = [];
  #closed = false;
  readonly #events: PeerLinkEvents;

  constructor(iceServers: RTCIceServer[], polite: boolean, events: PeerLinkEvents) {
    this.#events = events;
    this.#polite = polite;
    this.#pc = new RTCPeerConnection({ iceServers });
    // Only the host (impolite) opens the channel, so only the host's first offer negotiates it:
    // two pre-negotiated channels would make both sides offer at once and leave the polite side
    // stuck with an offer of its own that the impolite side ignores.
    if (polite) this.#pc.ondatachannel = ({ channel }) => this.#attach(channel);
    else this.#attach(this.#pc.createDataChannel("chat", { ordered: true }));
    this.#pc.onnegotiationneeded = () => this.#negotiate();
    this.#pc.onicecandidate = ({ candidate }) =>
      events.signal({ kind: "candidate", candidate: candidate ? candidate.toJSON() : null });
    this.#pc.oniceconnectionstatechange = () => {
      if (this.#pc.iceConnectionState === "failed") this.restartIce();
    };
  }

  #attach(channel: RTCDataChannel): void {
    this.#channel = channel;
    channel.onopen = () => this.#events.open(true);
    channel.onclose = () => !this.#closed && this.#events.open(false);
    channel.onmessage = (event) => {
      if (typeof event.data === "string") this.#events.message(event.data);
    };
  }

  /** The connection itself, for the call code's tracks (negotiated by this link). */
  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  get isOpen(): boolean {
    return this.#channel?.readyState === "open";
  }

  /** Sends on the data channel; false when it is not open (the caller falls back to the relay). */
  send(data: string): boolean {
    if (this.#channel?.readyState !== "open") return false;
    try {
      this.#channel.send(data);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * New ICE servers (fresh TURN credentials): the next gathering uses them, an ICE restart after a
   * failure or a network change; a working link keeps its path.
   */
  setIceServers(iceServers: RTCIceServer[]): void {
    if (this.#closed) return;
    try {
      this.#pc.setConfiguration({ ...this.#pc.getConfiguration(), iceServers });
    } catch (error) {
      console.warn(error);
    }
  }

  /** Asks for new candidates after a failure or a network change. */
  restartIce(): void {
    if (!this.#closed) this.#pc.restartIce();
  }

  async #negotiate(): Promise<void> {
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      if (this.#pc.localDescription) {
        this.#events.signal({
          kind: "description",
          description: this.#pc.localDescription.toJSON(),
        });
      }
    } catch (error) {
      console.warn(error);
    } finally {
      this.#makingOffer = false;
    }
  }

  /** Applies a signalling message from the other browser. */
  async receive(message: LinkSignal): Promise<void> {
    if (this.#closed) return;
    const pc = this.#pc;
    try {
      if (message.kind === "description") {
        const description = message.description;
        const collision = description.type === "offer" &&
          (this.#makingOffer || pc.signalingState !== "stable");
        this.#ignoreOffer = !this.#polite && collision;
        if (this.#ignoreOffer) return;
        await pc.setRemoteDescription(description);
        for (const candidate of this.#pendingCandidates.splice(0)) {
          await this.#addCandidate(candidate);
        }
        if (description.type === "offer") {
          await pc.setLocalDescription();
          if (pc.localDescription) {
            this.#events.signal({ kind: "description", description: pc.localDescription.toJSON() });
          }
        }
      } else if (!pc.remoteDescription) {
        this.#pendingCandidates.push(message.candidate);
      } else {
        await this.#addCandidate(message.candidate);
      }
    } catch (error) {
      console.warn(error);
    }
  }

  async #addCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    try {
      await this.#pc.addIceCandidate(candidate ?? undefined);
    } catch (error) {
      if (!this.#ignoreOffer) throw error;
    }
  }

  close(): void {
    this.#closed = true;
    this.#channel?.close();
    this.#pc.close();
  }
}
