/**
 * The room's state and actions as signals, apart from any markup (the shape of Preact Signals'
 * `ConnectionModel`): the phase of this tab in the session, its role, who is connected, the
 * deadline and the measured clock offset, the connection state; actions join(), end(), retake();
 * start() sets up the subscriptions and returns their cleanup.
 *
 * It is also the chat's {@link SignalTransport}: sendSignal/sendRelay and the onSignal, onRelay and
 * onPeerPresence subscriptions, so the encrypted chat plugs in without touching the island.
 */
import { batch, computed, signal } from "@preact/signals";
import { api, ApiError } from "./api.ts";
import { forgetSeat, joinErrorMessage, joinSeat, loadSeat, type StoredSeat } from "./seat.ts";
import type { SessionView } from "../contract/api.ts";
import { MINUTE_MS } from "../contract/time.ts";
import type { ServerFrame } from "../contract/frames.ts";
import type { EndReason, Role, SessionStatus } from "../contract/session.ts";
import { SessionSocket, type SocketState, type StopReason } from "./socket.ts";

/** Where this tab stands. */
export type Phase =
  | "lobby" // not seated in this tab: the Join button
  | "joining"
  | "connecting"
  | "waiting" // seated, the other person has not joined yet
  | "active"
  | "ended"
  | "expired" // the link's validity ran out before the chat started
  | "full" // both seats belong to other devices
  | "replaced" // this seat is open in another tab now
  | "missing"; // the token does not exist (any more)

export interface RoomInit {
  token: string;
  status: SessionStatus;
  endReason: EndReason | null;
  sessionExpiresAt: string | null;
  serverTime: string;
  ttlSeconds: number;
  charLimit: number;
}

const WARNING_MS = 5 * MINUTE_MS;
const MAX_EARLY_SIGNALS = 64;

function phaseOf(status: SessionStatus): Phase {
  return status === "issued"
    ? "waiting"
    : status === "active"
    ? "active"
    : status === "expired"
    ? "expired"
    : "ended";
}

export class RoomModel {
  readonly token: string;
  readonly charLimit: number;
  readonly ttlSeconds: number;
  readonly phase = signal<Phase>("lobby");
  readonly role = signal<Role | null>(null);
  readonly connected = signal<Role[]>([]);
  /** The session's end in server time (ms), once it is active. */
  readonly deadline = signal<number | null>(null);
  /** Server time minus local time, in ms. */
  readonly clockOffset = signal(0);
  readonly connection = signal<SocketState | "idle">("idle");
  readonly endReason = signal<EndReason | null>(null);
  readonly endedByMe = signal(false);
  /** A problem to show, in words. */
  readonly error = signal<string | null>(null);
  /** Local time, ticking once a second (aligned to the countdown). */
  readonly now = signal(Date.now());

  readonly peerPresent = computed(() => {
    const me = this.role.value;
    return me !== null && this.connected.value.some((role) => role !== me);
  });
  readonly remainingMs = computed(() => {
    const deadline = this.deadline.value;
    if (deadline === null) return null;
    const left = deadline - (this.now.value + this.clockOffset.value);
    // A clock sample a few milliseconds off must not show more than the session's length.
    return Math.min(this.ttlSeconds * 1000, Math.max(0, left));
  });
  readonly lastMinutes = computed(() => {
    const left = this.remainingMs.value;
    return left !== null && left <= WARNING_MS && this.phase.value === "active";
  });

  #socket: SessionSocket | null = null;
  #seat: StoredSeat | null = null;
  #bestRoundTrip = Infinity;
  readonly #signalListeners = new Set<(signalType: string, payload: unknown) => void>();
  readonly #relayListeners = new Set<(payload: string) => void>();
  readonly #presenceListeners = new Set<(present: boolean) => void>();
  #presence = false;
  readonly #early: [string, unknown][] = [];

  constructor(init: RoomInit) {
    this.token = init.token;
    this.charLimit = init.charLimit;
    this.ttlSeconds = init.ttlSeconds;
    this.clockOffset.value = Date.parse(init.serverTime) - Date.now();
    if (init.sessionExpiresAt) this.deadline.value = Date.parse(init.sessionExpiresAt);
    if (init.status === "closed" || init.status === "expired") {
      this.phase.value = phaseOf(init.status);
      this.endReason.value = init.endReason ?? "expired";
    }
  }

  /** Whether the session is over for this tab (no more actions). */
  get over(): boolean {
    return ["ended", "expired", "missing"].includes(this.phase.peek());
  }

  /** Sets up the connection (when this tab holds a seat) and the clock; returns the cleanup. */
  start(): () => void {
    const seat = loadSeat(this.token);
    if (seat && !this.over) this.#connect(seat);
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      this.now.value = Date.now();
      const left = this.remainingMs.peek();
      // At 0:00 (server time, offset-corrected) the chat ends here too, whether or not the
      // server can still say so: the screen must not keep the conversation past its end.
      if (left === 0 && this.phase.peek() === "active") this.#finish("expired", false);
      // Wake just after the displayed second changes.
      timer = setTimeout(tick, left ? (left % 1000 || 1000) + 15 : 1000);
    };
    tick();
    const online = () => this.#socket?.reconnectNow();
    const visible = () => {
      if (document.visibilityState !== "visible") return;
      this.now.value = Date.now();
      this.#socket?.ping();
    };
    addEventListener("online", online);
    document.addEventListener("visibilitychange", visible);
    return () => {
      clearTimeout(timer);
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
      const stored = loadSeat(this.token);
      let seat;
      try {
        seat = await joinSeat(this.token, stored?.participantId);
      } catch (error) {
        // A seat credential the server no longer knows: drop it and join as this browser.
        if (!(error instanceof ApiError && error.status === 404 && stored)) throw error;
        forgetSeat(this.token);
        seat = await joinSeat(this.token);
      }
      this.#connect({ participantId: seat.participant_id, role: seat.role });
    } catch (error) {
      this.#joinFailed(error);
    }
  }

  /** Takes this seat back after another tab took it over. */
  retake(): void {
    const seat = loadSeat(this.token);
    if (seat) this.#connect(seat);
    else this.phase.value = "lobby";
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

  // ---- SignalTransport (for the encrypted chat) ----

  sendSignal(signalType: string, payload: unknown): void {
    this.#socket?.send({ type: "signal", signalType, payload });
  }

  sendRelay(payload: string): void {
    this.#socket?.send({ type: "relay", payload });
  }

  /** Signals that came before anyone listened (the chat engine loads on demand) go to `fn`. */
  onSignal(fn: (signalType: string, payload: unknown) => void): () => void {
    this.#signalListeners.add(fn);
    for (const [signalType, payload] of this.#early.splice(0)) fn(signalType, payload);
    return () => this.#signalListeners.delete(fn);
  }

  onRelay(fn: (payload: string) => void): () => void {
    this.#relayListeners.add(fn);
    return () => this.#relayListeners.delete(fn);
  }

  /** `fn(true)` once both seats are connected, `fn(false)` when either socket is gone. */
  onPeerPresence(fn: (present: boolean) => void): () => void {
    this.#presenceListeners.add(fn);
    if (this.#presence) fn(true);
    return () => this.#presenceListeners.delete(fn);
  }

  // ---- internals ----

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
      onClock: (offset, roundTrip) => {
        // The sample with the shortest round trip is the most exact one.
        if (roundTrip <= this.#bestRoundTrip * 1.5) this.clockOffset.value = offset;
        this.#bestRoundTrip = Math.min(this.#bestRoundTrip, roundTrip);
      },
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
          if (frame.session_expires_at) this.deadline.value = Date.parse(frame.session_expires_at);
          if (this.#bestRoundTrip === Infinity) {
            this.clockOffset.value = Date.parse(frame.server_time) - Date.now();
          }
          if (frame.status === "closed" || frame.status === "expired") {
            this.#finish(frame.end_reason ?? "expired", false);
          } else this.phase.value = phaseOf(frame.status);
        });
        this.#setPresence(frame.connected.length === 2);
        return;
      case "session_closed":
        this.#finish(frame.reason, false);
        return;
      case "signal":
        if (!this.#signalListeners.size && this.#early.length < MAX_EARLY_SIGNALS) {
          this.#early.push([frame.signalType, frame.payload]);
        }
        for (const fn of this.#signalListeners) fn(frame.signalType, frame.payload);
        return;
      case "relay":
        for (const fn of this.#relayListeners) fn(frame.payload);
        return;
    }
  }

  #socketState(socket: SessionSocket, state: SocketState, reason?: StopReason) {
    if (socket !== this.#socket) return;
    this.connection.value = state;
    if (state !== "open") this.#setPresence(false);
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
    this.#setPresence(false);
    batch(() => {
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

  #setPresence(present: boolean) {
    if (present === this.#presence) return;
    this.#presence = present;
    for (const fn of this.#presenceListeners) fn(present);
  }
}
