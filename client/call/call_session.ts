/**
 * One voice or video call at a time over the chat's direct link (client/chat/call_port.ts).
 *
 * The caller rings with its own camera and microphone already open (its self view shows), but its
 * tracks go on the link only once the other person accepts; the callee opens its devices when it
 * presses Accept. Adding and removing tracks renegotiates through the link's perfect negotiation,
 * so the chat's data channel is never touched. A call ends on both sides when either hangs up, when
 * the direct link goes (the other person left, a reconnection made new keys) and when the chat is
 * disposed (ended, expired). Media never goes through the server's relay: without a direct link
 * there is no call.
 */
import { computed, effect, signal } from "@preact/signals";
import type { CallPort } from "../chat/call_port.ts";
import type { PeerLink } from "../chat/peer_link.ts";
import type { CallWire } from "../chat/wire.ts";
import { mediaErrorText } from "./media_errors.ts";

export type CallState = "idle" | "outgoing" | "incoming" | "active";

/** An unanswered ring stops after this long. */
const RING_MS = 45_000;

export class CallSession {
  readonly state = signal<CallState>("idle");
  /** The call is a video call (else voice only). */
  readonly video = signal(false);
  readonly local = signal<MediaStream | null>(null);
  readonly remote = signal<MediaStream | null>(null);
  readonly micOn = signal(true);
  readonly camOn = signal(true);
  readonly peerMic = signal(true);
  readonly peerCam = signal(true);
  /** More than one camera: "Switch camera" is offered. */
  readonly cameras = signal(0);
  /** What went wrong or how the last call ended, in words. */
  readonly notice = signal<string | null>(null);
  readonly canCall = computed(() => this.#port.link.value !== null);

  readonly #port: CallPort;
  #link: PeerLink | null = null;
  #senders: RTCRtpSender[] = [];
  #ringTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #stops: (() => void)[] = [];

  constructor(port: CallPort) {
    this.#port = port;
    this.#stops.push(
      port.receive((wire) => this.#wire(wire)),
      effect(() => {
        const link = port.link.value;
        if (link === this.#link) return;
        if (this.state.peek() !== "idle") this.#end("The call ended: the connection was lost.");
        this.#link = link;
        if (link) {
          link.connection.ontrack = ({ track, streams }) => {
            this.remote.value = streams[0] ?? new MediaStream([track]);
          };
        }
      }),
    );
  }

  /** Rings the other person, with this side's devices open for the self view. */
  async start(video: boolean): Promise<void> {
    if (this.state.peek() !== "idle" || !this.#link) return;
    this.notice.value = null;
    this.video.value = video;
    this.state.value = "outgoing";
    const stream = await this.#open(video);
    if (!stream || this.state.peek() !== "outgoing") {
      stream?.getTracks().forEach((track) => track.stop());
      if (this.state.peek() === "outgoing") this.state.value = "idle";
      return;
    }
    this.local.value = stream;
    this.#port.send({ t: "call", act: "ring", video });
    this.#ringTimer = setTimeout(() => {
      if (this.state.peek() !== "outgoing") return;
      this.#port.send({ t: "call", act: "hangup", video });
      this.#end("No answer.");
    }, RING_MS);
  }

  async accept(): Promise<void> {
    if (this.state.peek() !== "incoming") return;
    const stream = await this.#open(this.video.peek());
    if (this.state.peek() !== "incoming") return stream?.getTracks().forEach((t) => t.stop());
    if (!stream) return this.decline();
    this.local.value = stream;
    this.state.value = "active";
    this.#send(stream);
    this.#port.send({ t: "call", act: "accept", video: this.video.peek() });
    this.#announceMedia();
  }

  decline(): void {
    if (this.state.peek() !== "incoming") return;
    this.#port.send({ t: "call", act: "decline", video: this.video.peek() });
    this.#end(null);
  }

  hangUp(): void {
    if (this.state.peek() === "idle") return;
    this.#port.send({ t: "call", act: "hangup", video: this.video.peek() });
    this.#end("You hung up.");
  }

  toggleMic(): void {
    this.micOn.value = !this.micOn.peek();
    for (const track of this.local.peek()?.getAudioTracks() ?? []) {
      track.enabled = this.micOn.peek();
    }
    this.#announceMedia();
  }

  toggleCamera(): void {
    this.camOn.value = !this.camOn.peek();
    for (const track of this.local.peek()?.getVideoTracks() ?? []) {
      track.enabled = this.camOn.peek();
    }
    this.#announceMedia();
  }

  /** Moves to the next camera (front and back on a phone). */
  async switchCamera(): Promise<void> {
    const current = this.local.peek()?.getVideoTracks()[0];
    if (!current) return;
    const cameras = (await navigator.mediaDevices.enumerateDevices())
      .filter((device) => device.kind === "videoinput");
    const now = cameras.findIndex((c) => c.deviceId === current.getSettings().deviceId);
    const next = cameras[(now + 1) % cameras.length];
    if (!next || next.deviceId === current.getSettings().deviceId) return;
    try {
      const [track] = (await navigator.mediaDevices.getUserMedia({
        video: { deviceId: { exact: next.deviceId } },
      })).getVideoTracks();
      track.enabled = this.camOn.peek();
      const sender = this.#senders.find((s) => s.track === current);
      await sender?.replaceTrack(track);
      const stream = new MediaStream([...this.local.peek()!.getAudioTracks(), track]);
      current.stop();
      this.local.value = stream;
    } catch (error) {
      this.notice.value = mediaErrorText(error, true);
    }
  }

  /** The chat is gone (ended, expired, left): the call ends with it. */
  dispose(): void {
    if (this.state.peek() !== "idle") {
      this.#port.send({ t: "call", act: "hangup", video: this.video.peek() });
    }
    this.#end(null);
    for (const stop of this.#stops.splice(0)) stop();
    if (this.#link) this.#link.connection.ontrack = null;
  }

  #wire(wire: CallWire): void {
    if (wire.t === "media") {
      this.peerMic.value = wire.mic;
      this.peerCam.value = wire.cam;
      return;
    }
    const state = this.state.peek();
    switch (wire.act) {
      case "ring":
        if (state !== "idle") {
          this.#port.send({ t: "call", act: "busy", video: wire.video });
          return;
        }
        this.notice.value = null;
        this.video.value = wire.video;
        this.state.value = "incoming";
        return;
      case "accept":
        if (state !== "outgoing" || !this.local.peek()) return;
        clearTimeout(this.#ringTimer);
        this.state.value = "active";
        this.#send(this.local.peek()!);
        this.#announceMedia();
        return;
      case "decline":
        if (state === "outgoing") this.#end("They declined the call.");
        return;
      case "busy":
        if (state === "outgoing") this.#end("They are in another call.");
        return;
      case "hangup":
        if (state !== "idle") {
          this.#end(state === "incoming" ? "Missed call." : "They hung up.");
        }
        return;
    }
  }

  async #open(video: boolean): Promise<MediaStream | null> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
      this.micOn.value = this.camOn.value = true;
      if (video) {
        const devices = await navigator.mediaDevices.enumerateDevices();
        this.cameras.value = devices.filter((device) => device.kind === "videoinput").length;
      }
      return stream;
    } catch (error) {
      this.notice.value = mediaErrorText(error, video);
      return null;
    }
  }

  /** Puts this side's tracks on the link: the link renegotiates on its own. */
  #send(stream: MediaStream): void {
    const pc = this.#link?.connection;
    if (!pc) return;
    this.#senders = stream.getTracks().map((track) => pc.addTrack(track, stream));
  }

  #announceMedia(): void {
    this.#port.send({ t: "media", mic: this.micOn.peek(), cam: this.camOn.peek() });
  }

  #end(notice: string | null): void {
    clearTimeout(this.#ringTimer);
    const pc = this.#link?.connection;
    for (const sender of this.#senders) {
      try {
        if (pc && pc.signalingState !== "closed") pc.removeTrack(sender);
      } catch {
        // The link is closing anyway.
      }
    }
    this.#senders = [];
    for (const track of this.local.peek()?.getTracks() ?? []) track.stop();
    this.local.value = this.remote.value = null;
    this.peerMic.value = this.peerCam.value = true;
    this.state.value = "idle";
    this.notice.value = notice;
  }
}
