/**
 * One socket's side of the hub: authentication by first frame, the flood guard, and relaying to
 * the other seat.
 *
 * A server holds thousands of sockets and relays thousands of frames a second, so each socket is
 * one object with its state in fields (no closures kept per socket), and a relayed frame is
 * validated by hand (see parseClientFrame) rather than copied by a schema.
 */
import type { Clock, TimerHandle } from "../clock.ts";
import { CLOSE } from "../../contract/close_codes.ts";
import type { ServerFrame } from "../../contract/frames.ts";
import type { Role } from "../../contract/session.ts";
import { AUTH_TIMEOUT_MS } from "../../contract/time.ts";
import { type AuthAttempts, UNLIMITED_ATTEMPTS } from "./auth_attempts.ts";
import type { Fanout, SeatReceiver } from "./fanout.ts";
import { FLOOD_CAPACITY, type FloodBucket, takeToken } from "./flood_guard.ts";
import { isFrameError, isOversized, parseClientFrame } from "./frames.ts";

/** What the hub needs of a socket: Deno's WebSocket satisfies it, and so can a test double. */
export interface HubSocket {
  /** Sends a frame; false when the socket's outgoing queue is past its cap (it is then closing). */
  send(text: string): boolean | void;
  close(code?: number, reason?: string): void;
  /** The socket now holds a seat (it no longer counts as unauthenticated). */
  authenticated?(): void;
}

/** Callbacks a transport binds to a socket's events. */
export interface Connection {
  message(data: string | ArrayBuffer | Blob): void;
  closed(): void;
}

export { CLOSE };
/** Frames a client may send after its auth frame before the server has answered it. */
const MAX_QUEUED_BEFORE_AUTH = 64;

/** What a connection reads of its session's room. */
export interface SeatRoom {
  tokenHash: string;
  /** The deadline once the session is active; relaying is open only before it. */
  expiresAt: number | null;
}

/** What a connection asks of the hub it belongs to. */
export interface SeatDesk {
  readonly clock: Clock;
  readonly fanout: Fanout;
  /**
   * Seats the connection if `participantId` holds a seat of its token, or ends it with the
   * contract's close code and resolves null.
   */
  seat(
    connection: SeatConnection,
    participantId: string,
  ): Promise<{ room: SeatRoom; role: Role } | null>;
  /** The connection's socket is gone, or it closed while its seat was being taken. */
  leave(connection: SeatConnection, room: SeatRoom, role: Role): void;
}

const errorFrame = (code: string, message: string) =>
  JSON.stringify({ type: "error", code, message } satisfies ServerFrame);
const PEER_OFFLINE = errorFrame(
  "peer_offline",
  "The other person is not connected; nothing was stored.",
);
const SESSION_INACTIVE = errorFrame(
  "session_inactive",
  "Relay opens once both people have joined.",
);

export class SeatConnection implements Connection, SeatReceiver, FloodBucket {
  // The flood guard's bucket (see takeToken), public only so the guard can work on it.
  floodTokens = FLOOD_CAPACITY;
  floodRefilledAt: number;

  #room: SeatRoom | null = null;
  #role: Role = "host";
  #closed = false;
  /** Whether closed() ran: a socket leaves its seat once. */
  #left = false;
  #authPending = false;
  /** Frames that arrived while the auth lookup ran: a client may send before hearing back. */
  #queued: string[] | null = null;
  #authTimer: TimerHandle | null;

  constructor(
    private readonly desk: SeatDesk,
    /** The token of the socket's URL. */
    readonly token: string,
    private readonly socket: HubSocket,
    /** The allowance of the address the socket came from (failed authentications spend it). */
    readonly attempts: AuthAttempts = UNLIMITED_ATTEMPTS,
  ) {
    this.floodRefilledAt = desk.clock.now();
    this.#authTimer = desk.clock.setTimeout(() => this.#authTimedOut(), AUTH_TIMEOUT_MS);
  }

  /**
   * Sends a serialized frame to this socket. A receiver whose queue is past its cap is closing
   * (1013): it leaves its seat at once, so the sender hears the peer went offline as usual.
   */
  deliver(frame: string): void {
    if (this.socket.send(frame) === false) this.#overflowed();
  }

  /** Closes the socket; frames still arriving on it are ignored. */
  end(code: number, reason: string): void {
    this.#closed = true;
    this.socket.close(code, reason);
  }

  message(data: string | ArrayBuffer | Blob): void {
    if (this.#closed) return;
    // Every frame, of any kind, pays for itself before anything else is looked at.
    const now = this.desk.clock.now();
    const queued = this.#queued;
    if (!takeToken(this, now) || (queued !== null && queued.length >= MAX_QUEUED_BEFORE_AUTH)) {
      this.end(CLOSE.policy, "Too many frames");
      return;
    }
    if (typeof data !== "string") {
      this.end(CLOSE.unsupported, "Send frames as JSON text");
      return;
    }
    if (isOversized(data)) {
      this.end(CLOSE.tooBig, "Frame over 64 KiB");
      return;
    }
    if (this.#authPending) (this.#queued ??= []).push(data);
    else this.#handle(data, now);
  }

  closed(): void {
    if (this.#left) return;
    this.#left = true;
    this.#closed = true;
    this.#queued = null;
    this.#clearAuthTimer();
    if (this.#room) this.desk.leave(this, this.#room, this.#role);
  }

  #handle(data: string, now: number): void {
    const frame = parseClientFrame(data);
    const room = this.#room;
    if (isFrameError(frame)) {
      if (room === null) this.end(CLOSE.unauthorized, "The first frame must be auth");
      else this.#sendError(frame.code, frame.message);
      return;
    }
    if (room === null) {
      if (frame.type === "auth") this.#authenticate(frame.participant_id);
      else this.end(CLOSE.unauthorized, "The first frame must be auth");
      return;
    }
    switch (frame.type) {
      // One JSON.stringify of a small literal writes the frame as one flat string. Concatenating
      // pieces instead builds a rope that the socket's send must copy flat again: measured in
      // the relay benchmark, ~1 KB more garbage per 1 KiB frame than this.
      case "relay":
        if (room.expiresAt === null || now >= room.expiresAt) this.deliver(SESSION_INACTIVE);
        else {
          this.#forward(
            room,
            JSON.stringify(
              { type: "relay", payload: frame.payload, from: this.#role } satisfies ServerFrame,
            ),
          );
        }
        return;
      case "signal":
        this.#forward(
          room,
          JSON.stringify(
            {
              type: "signal",
              signalType: frame.signalType,
              payload: frame.payload,
              from: this.#role,
            } satisfies ServerFrame,
          ),
        );
        return;
      case "auth":
        this.#sendError("already_authenticated", "This socket already holds a seat.");
        return;
      case "ping":
        this.deliver(
          JSON.stringify(
            { type: "pong", server_time: new Date(now).toISOString() } satisfies ServerFrame,
          ),
        );
        return;
    }
  }

  /** Sends a frame to the other seat only; the sender hears when no one holds it. */
  #forward(room: SeatRoom, frame: string): void {
    const other = this.#role === "host" ? "guest" : "host";
    if (!this.desk.fanout.send(room.tokenHash, other, frame)) {
      this.deliver(PEER_OFFLINE);
    }
  }

  #authenticate(participantId: string): void {
    this.#authPending = true;
    this.desk.seat(this, participantId).then(
      (seat) => this.#seated(seat),
      (error) => {
        console.error("WebSocket authentication failed:", error);
        this.#clearAuthTimer();
        this.end(CLOSE.serverError, "Server error");
      },
    );
  }

  #seated(seat: { room: SeatRoom; role: Role } | null): void {
    this.#authPending = false;
    this.#clearAuthTimer();
    if (this.#closed) {
      if (seat) this.desk.leave(this, seat.room, seat.role);
      return;
    }
    if (!seat) {
      this.#closed = true;
      return;
    }
    this.#room = seat.room;
    this.#role = seat.role;
    this.socket.authenticated?.();
    const queued = this.#queued;
    this.#queued = null;
    if (queued === null) return;
    for (const text of queued) {
      if (this.#closed) break;
      this.#handle(text, this.desk.clock.now());
    }
  }

  #overflowed(): void {
    this.#closed = true;
    this.closed();
  }

  #authTimedOut(): void {
    this.#authTimer = null;
    if (!this.#room && !this.#closed) this.end(CLOSE.unauthorized, "Authentication timed out");
  }

  #clearAuthTimer(): void {
    if (this.#authTimer === null) return;
    this.desk.clock.clearTimeout(this.#authTimer);
    this.#authTimer = null;
  }

  #sendError(code: string, message: string): void {
    this.deliver(errorFrame(code, message));
  }
}
