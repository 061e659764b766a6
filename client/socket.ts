/**
 * The typed socket client of a session room (contract: WebSocket section).
 *
 * It authenticates with its first frame, validates every server frame into a discriminated union
 * before anyone sees it, pings to keep the connection honest and to measure the clock offset, and
 * reconnects with backoff after a network loss. Close codes that mean "stop" (bad seat, unknown
 * token, replaced by another tab, session over) end it for good with a reason.
 */
import {
  CLOSE_GONE,
  CLOSE_NORMAL,
  CLOSE_NOT_FOUND,
  CLOSE_POLICY,
  CLOSE_REPLACED,
  CLOSE_SERVICE_RESTART,
  CLOSE_TOO_BIG,
  CLOSE_UNAUTHORIZED,
} from "../contract/close_codes.ts";
import type { ClientFrame, IceServerInit, ServerFrame, StatusFrame } from "../contract/frames.ts";
import { END_REASONS, ROLES, SESSION_STATUSES } from "../contract/session.ts";

const isString = (value: unknown): value is string => typeof value === "string";
const isTime = (value: unknown): value is string =>
  isString(value) && !Number.isNaN(Date.parse(value));
const isTimeOrNull = (value: unknown) => value === null || isTime(value);
const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  isString(value) && (list as readonly string[]).includes(value);

const isUrls = (value: unknown): value is string | string[] =>
  (isString(value) && value !== "") ||
  (Array.isArray(value) && value.length > 0 && value.every((url) => isString(url) && url !== ""));

/** An ICE server of a `turn` frame, with only the fields RTCPeerConnection is to see; or null. */
function iceServer(value: unknown): IceServerInit | null {
  if (typeof value !== "object" || value === null) return null;
  const { urls, username, credential } = value as Record<string, unknown>;
  if (!isUrls(urls) || !isString(username) || !isString(credential)) return null;
  return { urls, username, credential };
}

/** Parses and validates one server frame; null for anything malformed or unknown. */
export function parseServerFrame(text: string): ServerFrame | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const v = value;
  switch (v.type) {
    case "status":
      return oneOf(SESSION_STATUSES, v.status) && oneOf(ROLES, v.you) &&
          Array.isArray(v.connected) &&
          v.connected.every((role) => oneOf(ROLES, role)) && isTimeOrNull(v.session_started_at) &&
          isTimeOrNull(v.session_expires_at) && isTime(v.server_time) &&
          (v.remaining_seconds === null || typeof v.remaining_seconds === "number") &&
          typeof v.message_char_limit === "number" &&
          (v.end_reason === null || v.end_reason === undefined || oneOf(END_REASONS, v.end_reason))
        ? { ...v, end_reason: v.end_reason ?? null } as unknown as StatusFrame
        : null;
    case "signal":
      return isString(v.signalType) && "payload" in v && oneOf(ROLES, v.from)
        ? { type: "signal", signalType: v.signalType, payload: v.payload, from: v.from }
        : null;
    case "relay":
      return isString(v.payload) && oneOf(ROLES, v.from)
        ? { type: "relay", payload: v.payload, from: v.from }
        : null;
    case "pong":
      return isTime(v.server_time) ? { type: "pong", server_time: v.server_time } : null;
    case "error":
      return isString(v.code)
        ? { type: "error", code: v.code, message: isString(v.message) ? v.message : "" }
        : null;
    case "turn": {
      const servers = Array.isArray(v.iceServers) ? v.iceServers.map(iceServer) : [null];
      return servers.every((server) => server !== null)
        ? { type: "turn", iceServers: servers as IceServerInit[] }
        : null;
    }
    case "session_closed":
      return oneOf(END_REASONS, v.reason) ? { type: "session_closed", reason: v.reason } : null;
    default:
      return null;
  }
}

export type SocketState = "connecting" | "open" | "reconnecting" | "closed";
/** Why a socket stopped for good. */
export type StopReason =
  | "unauthorized"
  | "not_found"
  | "replaced"
  | "gone"
  | "ended"
  | "refused"
  | "stopped";

/** Close codes after which reconnecting cannot help. */
const STOP_CODES: Record<number, StopReason> = {
  [CLOSE_NORMAL]: "ended",
  [CLOSE_POLICY]: "refused",
  [CLOSE_TOO_BIG]: "refused",
  [CLOSE_UNAUTHORIZED]: "unauthorized",
  [CLOSE_NOT_FOUND]: "not_found",
  [CLOSE_REPLACED]: "replaced",
  [CLOSE_GONE]: "gone",
};

export const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const PING_EVERY_MS = 15_000;
const PONG_WITHIN_MS = 8_000;

export interface SocketOptions {
  url: string;
  participantId: string;
  onFrame(frame: ServerFrame): void;
  onState(state: SocketState, reason?: StopReason): void;
  /** A clock sample: server time minus local time, and the round trip it was measured over. */
  onClock?(offsetMs: number, roundTripMs: number): void;
  /** For tests: a WebSocket constructor. */
  WebSocketImpl?: typeof WebSocket;
}

/** The delay before reconnect attempt `attempt` (0-based), with jitter so tabs do not stampede. */
export function backoffDelay(attempt: number, random = Math.random()): number {
  const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
  return Math.round(base * (0.75 + random * 0.5));
}

/**
 * The wait before reconnecting after a close with `code`: none after a restart (1012) unless it
 * keeps happening, the usual backoff otherwise (1013, "try again later", among them). Either way
 * the chat keeps its unacknowledged messages and re-sends them once the keys are renewed.
 */
export function reconnectDelay(code: number, attempt: number, random = Math.random()): number {
  return code === CLOSE_SERVICE_RESTART && attempt === 0 ? 0 : backoffDelay(attempt, random);
}

export class SessionSocket {
  #ws: WebSocket | null = null;
  #attempt = 0;
  #stopped = false;
  #authed = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #pingSentAt = 0;

  readonly #options: SocketOptions;

  constructor(options: SocketOptions) {
    this.#options = options;
    globalThis.addEventListener?.("offline", this.#offline);
  }

  /** Opens the connection (again). */
  connect(): void {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#teardown();
    this.#options.onState(this.#attempt === 0 ? "connecting" : "reconnecting");
    const Impl = this.#options.WebSocketImpl ?? WebSocket;
    const ws = new Impl(this.#options.url);
    this.#ws = ws;
    this.#authed = false;
    ws.onopen = () => this.#raw({ type: "auth", participant_id: this.#options.participantId });
    ws.onmessage = (event) => {
      if (ws !== this.#ws || typeof event.data !== "string") return;
      const frame = parseServerFrame(event.data);
      if (!frame) return;
      if (frame.type === "status" && !this.#authed) this.#opened();
      if (frame.type === "pong") this.#pong(frame.server_time);
      this.#options.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (ws !== this.#ws) return;
      this.#teardown();
      const stop = STOP_CODES[event.code];
      if (stop) this.#stop(stop);
      else this.#scheduleRetry(reconnectDelay(event.code, this.#attempt++));
    };
  }

  /** Sends a frame once authenticated; false when there is no open, authenticated socket. */
  send(frame: ClientFrame): boolean {
    return this.#authed && this.#raw(frame);
  }

  /** Skips the wait before the next attempt (the network just came back). */
  reconnectNow(): void {
    if (!this.#stopped && !this.#authed) {
      this.#attempt = Math.max(this.#attempt, 1);
      this.connect();
    }
  }

  /** Measures the clock and checks the connection is alive now (e.g. the tab became visible). */
  ping(): void {
    if (!this.#authed || this.#pongTimer !== undefined) return;
    this.#pingSentAt = Date.now();
    this.#raw({ type: "ping" });
    // No answer: the connection is dead without having said so. Waiting for a close handshake
    // would wait as long as the network is gone: drop it now and reconnect.
    this.#pongTimer = setTimeout(() => this.#lost(), PONG_WITHIN_MS);
  }

  /** Closes for good. */
  close(): void {
    this.#stop("stopped");
  }

  /** The network went away (the browser says it is offline, or a ping went unanswered). */
  #lost(): void {
    if (this.#stopped || !this.#ws) return;
    this.#teardown();
    this.#scheduleRetry(backoffDelay(this.#attempt++));
  }

  readonly #offline = () => this.#lost();

  #raw(frame: ClientFrame): boolean {
    if (this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  #opened() {
    this.#authed = true;
    this.#attempt = 0;
    this.#options.onState("open");
    this.ping();
    this.#pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
  }

  #pong(serverTime: string) {
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
    const now = Date.now();
    const roundTrip = now - this.#pingSentAt;
    this.#options.onClock?.(Date.parse(serverTime) + roundTrip / 2 - now, roundTrip);
  }

  #scheduleRetry(delayMs: number) {
    if (this.#stopped) return;
    this.#options.onState("reconnecting");
    this.#retryTimer = setTimeout(() => this.connect(), delayMs);
  }

  #teardown() {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pingTimer = this.#pongTimer = undefined;
    this.#authed = false;
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      ws.close(1000);
    }
  }

  #stop(reason: StopReason) {
    if (this.#stopped) return;
    this.#stopped = true;
    globalThis.removeEventListener?.("offline", this.#offline);
    clearTimeout(this.#retryTimer);
    this.#teardown();
    this.#options.onState("closed", reason);
  }
}
