/**
 * The room's state and actions as signals, apart from any markup (the shape of Preact Signals'
 * `ConnectionModel`): the phase of this tab in the session, its role, who is connected, the
 * deadline and the measured clock offset, the connection state; actions join(), end(), retake();
 * start() sets up the subscriptions and returns their cleanup.
 *
 * It owns the chat (chat_owner.ts): `chat` holds a ChatSession exactly while `seated`. The chat
 * reaches the socket through frame_port.ts and reads `bothPresent`, the one reading of presence.
 */
import { batch, computed, type ReadonlySignal, signal } from "@preact/signals";
import type { ChatSession } from "./chat/chat_session.ts";
import { ownChat } from "./chat_owner.ts";
import { parseLinkSecret } from "./crypto/link_secret.ts";
import { FramePort } from "./frame_port.ts";
import { OVER, type Phase, phaseOf, SEATED } from "./room_phase.ts";
import { api, ApiError } from "./api.ts";
import { forgetSeat, joinErrorMessage, loadSeat, type StoredSeat, takeSeat } from "./seat.ts";
import type { SessionView } from "../contract/api.ts";
import { warningWindowMs } from "./time_format.ts";
import type { ServerFrame } from "../contract/frames.ts";
import type { EndReason, Role } from "../contract/session.ts";
import type { RoomInit } from "./room_init.ts";
import { SessionClock } from "./session_clock.ts";
import { SessionSocket, type SocketState, type StopReason } from "./socket.ts";

export class RoomModel {
  readonly token: string;
  readonly charLimit: number;
  readonly files: RoomInit["files"];
  readonly ttlSeconds: number;
  readonly phase = signal<Phase>("lobby");
  readonly role = signal<Role | null>(null);
  readonly connected = signal<Role[]>([]);
  readonly connection = signal<SocketState | "idle">("idle");
  readonly endReason = signal<EndReason | null>(null);
  readonly endedByMe = signal(false);
  /** A problem to show, in words. */
  readonly error = signal<string | null>(null);

  /** True while both seats are connected (a status says so and my socket is open). */
  readonly bothPresent = signal(false);
  /** This tab holds a seat in a live session: the chat exists exactly then. */
  readonly seated = computed(() => SEATED.has(this.phase.value));
  /** The encrypted chat of this seat, or null while it is not seated (or still loading). */
  readonly chat = signal<ChatSession | null>(null);

  readonly peerPresent = computed(() => {
    const me = this.role.value;
    return me !== null && this.connected.value.some((role) => role !== me);
  });
  readonly clock: SessionClock;
  readonly remainingMs: ReadonlySignal<number | null>;
  readonly lastMinutes = computed(() => {
    const left = this.remainingMs.value;
    return left !== null && left <= warningWindowMs(this.ttlSeconds * 1000) &&
      this.phase.value === "active";
  });

  #socket: SessionSocket | null = null;
  #seat: StoredSeat | null = null;
  readonly #port = new FramePort((frame) => this.#socket?.send(frame));
  /** The page's ICE servers, then also this seat's TURN servers once its socket hands them over. */
  readonly #iceServers = signal<RTCIceServer[]>([]);
  readonly #pageIceServers: RTCIceServer[];
  #chatOwner: (() => void) | null = null;
  readonly #seatedRole = computed(() => this.seated.value ? this.role.value : null);

  constructor(init: RoomInit) {
    this.token = init.token;
    this.charLimit = init.charLimit;
    this.files = init.files;
    this.ttlSeconds = init.ttlSeconds;
    this.#pageIceServers = init.iceServers;
    this.#iceServers.value = init.iceServers;
    this.clock = new SessionClock(init.ttlSeconds * 1000, init.serverTime, init.sessionExpiresAt);
    this.remainingMs = this.clock.remainingMs;
    if (init.status === "closed" || init.status === "expired") {
      this.phase.value = phaseOf(init.status);
      this.endReason.value = init.endReason ?? "expired";
    }
  }

  /** Whether the session is over for this tab (no more actions). */
  get over(): boolean {
    return OVER.has(this.phase.peek());
  }

  /** Sets up the connection (when this tab holds a seat) and the clock; returns the cleanup. */
  start(): () => void {
    this.#chatOwner ??= ownChat(this.chat, this.#seatedRole, (role) => ({
      token: this.token,
      role,
      linkSecret: parseLinkSecret(location.hash),
      iceServers: this.#iceServers,
      charLimit: this.charLimit,
      port: this.#port,
      bothPresent: this.bothPresent,
    }));
    const seat = loadSeat(this.token);
    if (seat && !this.over) this.#connect(seat);
    const stopClock = this.clock.run((left) => {
      // At 0:00 (server time, offset-corrected) the chat ends here too, whether or not the
      // server can still say so: the screen must not keep the conversation past its end.
      if (left === 0 && this.phase.peek() === "active") this.#finish("expired", false);
    });
    const online = () => this.#socket?.reconnectNow();
    const visible = () => {
      if (document.visibilityState !== "visible") return;
      this.clock.now.value = Date.now();
      this.#socket?.ping();
    };
    addEventListener("online", online);
    document.addEventListener("visibilitychange", visible);
    return () => {
      stopClock();
      removeEventListener("online", online);
      document.removeEventListener("visibilitychange", visible);
      this.#socket?.close();
      this.#socket = null;
    };
  }

  /** Takes a seat (a person pressed Join) and connects. */
  async join(): Promise<void> {
    if (this.over || this.phase.peek() === "joining") return;
    batch(() => {
      this.phase.value = "joining";
      this.error.value = null;
    });
    try {
      const seat = await takeSeat(this.token);
      this.#connect({ participantId: seat.participant_id, role: seat.role });
    } catch (error) {
      this.#joinFailed(error);
    }
  }

  /** Takes this seat back after another tab took it over (whose join re-issued the credential). */
  retake(): void {
    takeSeat(this.token).then(
      (seat) => this.#connect({ participantId: seat.participant_id, role: seat.role }),
      (error) => this.#joinFailed(error),
    );
  }

  /** Ends the session for both people. */
  async end(): Promise<void> {
    if (!this.#seat || this.over) return;
    try {
      await api(`/api/sessions/${encodeURIComponent(this.token)}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${this.#seat.participantId}` },
      });
      this.#finish("ended", true);
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) await this.#learnEnd();
      else this.error.value = error instanceof ApiError ? error.detail : "Could not end the chat.";
    }
  }

  /** Disposes the chat (the island is gone); start() may be called again after stop. */
  dispose(): void {
    this.#chatOwner?.();
    this.#chatOwner = null;
  }

  #connect(seat: StoredSeat) {
    this.#socket?.close();
    this.#seat = seat;
    batch(() => {
      this.role.value = seat.role;
      this.phase.value = "connecting";
      this.error.value = null;
    });
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new SessionSocket({
      url: `${scheme}//${location.host}/ws/sessions/${encodeURIComponent(this.token)}`,
      participantId: seat.participantId,
      onFrame: (frame) => this.#frame(frame),
      onState: (state, reason) => this.#socketState(socket, state, reason),
      onClock: (offset, roundTrip) => this.clock.sample(offset, roundTrip),
    });
    this.#socket = socket;
    socket.connect();
  }

  #frame(frame: ServerFrame) {
    switch (frame.type) {
      case "status":
        batch(() => {
          this.role.value = frame.you;
          this.connected.value = frame.connected;
          this.clock.status(frame.server_time, frame.session_expires_at);
          if (frame.status === "closed" || frame.status === "expired") {
            this.#finish(frame.end_reason ?? "expired", false);
          } else this.phase.value = phaseOf(frame.status);
        });
        this.bothPresent.value = frame.connected.length === 2;
        return;
      case "session_closed":
        this.#finish(frame.reason, false);
        return;
      case "turn":
        // Replaces the TURN servers of an earlier socket: each socket's credentials are its own.
        this.#iceServers.value = [...this.#pageIceServers, ...frame.iceServers];
        return;
      case "signal":
      case "relay":
        this.#port.deliver(frame);
        return;
    }
  }

  #socketState(socket: SessionSocket, state: SocketState, reason?: StopReason) {
    if (socket !== this.#socket) return;
    this.connection.value = state;
    if (state !== "open") this.bothPresent.value = false;
    if (state !== "closed") return;
    switch (reason) {
      case "unauthorized":
        forgetSeat(this.token);
        batch(() => {
          this.phase.value = "lobby";
          this.error.value = "This tab's seat is no longer valid. Press Join to take it back.";
        });
        return;
      case "replaced":
        this.phase.value = "replaced";
        return;
      case "not_found":
        this.phase.value = "missing";
        return;
      case "gone":
      case "ended":
        if (!this.over) void this.#learnEnd();
        return;
      case "refused":
        this.error.value = "The server closed the connection. Reload the page to reconnect.";
        return;
    }
  }

  /** Asks the server how the session ended (after a socket was refused as "gone"). */
  async #learnEnd() {
    try {
      const view = await api<SessionView>(
        `/api/sessions/${encodeURIComponent(this.token)}/status`,
      );
      if (view.status === "expired") this.#finish("expired", false, "expired");
      else if (view.status === "closed") this.#finish(view.end_reason ?? "expired", false);
    } catch {
      this.#finish("expired", false);
    }
  }

  #finish(reason: EndReason, byMe: boolean, phase: Phase = "ended") {
    if (this.over) return;
    this.#socket?.close();
    this.#socket = null;
    forgetSeat(this.token);
    batch(() => {
      this.bothPresent.value = false;
      this.phase.value = phase;
      this.endReason.value = reason;
      this.endedByMe.value = byMe;
      this.connection.value = "closed";
    });
  }

  #joinFailed(error: unknown) {
    if (error instanceof ApiError && error.status === 410) {
      void this.#learnEnd();
      return;
    }
    batch(() => {
      this.phase.value = error instanceof ApiError && error.status === 409
        ? "full"
        : error instanceof ApiError && error.status === 404
        ? "missing"
        : "lobby";
      this.error.value = joinErrorMessage(error);
    });
  }
}
