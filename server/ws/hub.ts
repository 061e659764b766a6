/**
 * The realtime hub: seats, presence, relaying and exact expiry.
 *
 * Each socket authenticates with its first frame, then holds one seat of one session. The hub
 * relays `signal` and `relay` frames to the other seat only (through a {@link Fanout}), tells both
 * seats the session status on every change, and closes every socket of a session the moment its
 * deadline passes, with a timer per live session rather than waiting for traffic.
 */
import type { Clock, TimerHandle } from "../clock.ts";
import type { Db } from "../db/database.ts";
import { findTokenByHash, listOpenActiveSessions, type TokenRow } from "../db/tokens_repo.ts";
import {
  type EndReason,
  findSeat,
  hashToken,
  listParticipants,
  recordExpiry,
  type Role,
  sessionStatus,
  sessionView,
} from "../domain/sessions.ts";
import { type Fanout, InProcessFanout } from "./fanout.ts";
import { FloodGuard } from "./flood_guard.ts";
import { isOversized, parseClientFrame } from "./frames.ts";

/** What the hub needs of a socket: Deno's WebSocket satisfies it, and so can a test double. */
export interface HubSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  unauthorized: 4401,
  notFound: 4404,
  replaced: 4409,
  gone: 4410,
} as const;

export const AUTH_TIMEOUT_MS = 10_000;
/** Frames a client may send after its auth frame before the server has answered it. */
const MAX_QUEUED_BEFORE_AUTH = 64;

/** Callbacks a transport binds to a socket's events. */
export interface Connection {
  message(data: string | ArrayBuffer | Blob): void;
  closed(): void;
}

interface Room {
  tokenHash: string;
  token: string;
  sockets: Map<Role, HubSocket>;
  /** The deadline once the session is active; relaying is open only before it. */
  expiresAt: number | null;
  expiryTimer: TimerHandle | null;
}

export class Hub {
  readonly #rooms = new Map<string, Room>();
  readonly #fanout: Fanout;
  /** Each socket's fan-out registration, removed when the socket leaves or is replaced. */
  readonly #detachers = new WeakMap<HubSocket, () => void>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    fanout: Fanout = new InProcessFanout(),
  ) {
    this.#fanout = fanout;
  }

  /** Seats with a live socket, for the HTTP status endpoint. */
  connectedRoles(tokenHash: string): Set<Role> {
    return this.#fanout.present(tokenHash);
  }

  /** Number of sockets holding a seat (for health and benchmarks). */
  get socketCount(): number {
    let count = 0;
    for (const room of this.#rooms.values()) count += room.sockets.size;
    return count;
  }

  /** Starts the life of a new socket for `token`; the transport forwards its events. */
  connect(token: string, socket: HubSocket): Connection {
    let seat: { room: Room; role: Role } | null = null;
    let closed = false;
    let authPending = false;
    /** Frames that arrived while the auth lookup ran: a client may send before hearing back. */
    const queued: string[] = [];
    const guard = new FloodGuard(this.clock);
    const authTimer = this.clock.setTimeout(() => {
      if (!seat && !closed) socket.close(CLOSE.unauthorized, "Authentication timed out");
    }, AUTH_TIMEOUT_MS);
    const sendError = (code: string, message: string) =>
      socket.send(JSON.stringify({ type: "error", code, message }));

    const handle = (data: string) => {
      const frame = parseClientFrame(data);
      if ("code" in frame) {
        if (!seat) {
          closed = true;
          socket.close(CLOSE.unauthorized, "The first frame must be auth");
          return;
        }
        sendError(frame.code, frame.message);
        return;
      }
      if (!seat) {
        if (frame.type !== "auth") {
          closed = true;
          socket.close(CLOSE.unauthorized, "The first frame must be auth");
          return;
        }
        authPending = true;
        this.#authenticate(token, frame.participant_id, socket).then((result) => {
          authPending = false;
          this.clock.clearTimeout(authTimer);
          if (closed) {
            if (result) this.#leave(result.room, result.role, socket);
            return;
          }
          if (!result) {
            closed = true;
            return;
          }
          seat = result;
          for (const text of queued.splice(0)) {
            if (closed) break;
            handle(text);
          }
        }, (error) => {
          console.error("WebSocket authentication failed:", error);
          closed = true;
          socket.close(1011, "Server error");
        });
        return;
      }
      switch (frame.type) {
        case "auth":
          sendError("already_authenticated", "This socket already holds a seat.");
          return;
        case "ping":
          socket.send(
            JSON.stringify({
              type: "pong",
              server_time: new Date(this.clock.now()).toISOString(),
            }),
          );
          return;
        case "signal":
          this.#forward(seat, socket, {
            type: "signal",
            signalType: frame.signalType,
            payload: frame.payload,
            from: seat.role,
          });
          return;
        case "relay":
          this.#relay(seat, socket, frame.payload);
          return;
      }
    };

    return {
      message: (data) => {
        if (closed) return;
        if (typeof data !== "string") {
          sendError("binary_unsupported", "Send frames as JSON text.");
          return;
        }
        if (isOversized(data)) {
          closed = true;
          socket.close(CLOSE.tooBig, "Frame over 64 KiB");
          return;
        }
        if (!guard.take() || queued.length >= MAX_QUEUED_BEFORE_AUTH) {
          closed = true;
          socket.close(CLOSE.policy, "Too many frames");
          return;
        }
        if (authPending) queued.push(data);
        else handle(data);
      },
      closed: () => {
        closed = true;
        queued.length = 0;
        this.clock.clearTimeout(authTimer);
        if (seat) this.#leave(seat.room, seat.role, socket);
      },
    };
  }

  async #authenticate(
    token: string,
    participantId: string,
    socket: HubSocket,
  ): Promise<{ room: Room; role: Role } | null> {
    const tokenHash = hashToken(token);
    const row = await findTokenByHash(this.db, tokenHash);
    if (!row) {
      socket.close(CLOSE.notFound, "Unknown token");
      return null;
    }
    const status = sessionStatus(row, this.clock.now());
    if (status === "closed" || status === "expired") {
      socket.close(CLOSE.gone, status === "closed" ? "Session closed" : "Token expired");
      return null;
    }
    const participant = await findSeat(this.db, row, participantId);
    if (!participant) {
      socket.close(CLOSE.unauthorized, "Unknown seat credential");
      return null;
    }
    const role = participant.role;
    let room = this.#rooms.get(tokenHash);
    if (!room) {
      room = { tokenHash, token, sockets: new Map(), expiresAt: null, expiryTimer: null };
      this.#rooms.set(tokenHash, room);
    }
    const previous = room.sockets.get(role);
    room.sockets.set(role, socket);
    const detach = this.#fanout.attach(tokenHash, role, (frame) => socket.send(frame));
    this.#detachers.set(socket, detach);
    if (previous) {
      this.#detachers.delete(previous);
      previous.close(CLOSE.replaced, "Replaced by a newer connection");
    }
    this.#schedule(room, row);
    await this.#broadcastStatus(room);
    return { room, role };
  }

  #forward(seat: { room: Room; role: Role }, socket: HubSocket, frame: Record<string, unknown>) {
    const other: Role = seat.role === "host" ? "guest" : "host";
    if (!this.#fanout.send(seat.room.tokenHash, other, JSON.stringify(frame))) {
      socket.send(JSON.stringify({
        type: "error",
        code: "peer_offline",
        message: "The other person is not connected; nothing was stored.",
      }));
    }
  }

  #relay(seat: { room: Room; role: Role }, socket: HubSocket, payload: string) {
    const { expiresAt } = seat.room;
    if (expiresAt === null || this.clock.now() >= expiresAt) {
      socket.send(JSON.stringify({
        type: "error",
        code: "session_inactive",
        message: "Relay opens once both people have joined.",
      }));
      return;
    }
    this.#forward(seat, socket, { type: "relay", payload, from: seat.role });
  }

  #leave(room: Room, role: Role, socket: HubSocket) {
    this.#detachers.get(socket)?.();
    this.#detachers.delete(socket);
    if (room.sockets.get(role) !== socket) return;
    room.sockets.delete(role);
    if (room.sockets.size === 0) {
      this.#dropRoom(room);
      return;
    }
    this.#broadcastStatus(room).catch((error) => console.error("Status broadcast failed:", error));
  }

  #dropRoom(room: Room) {
    if (room.expiryTimer !== null) this.clock.clearTimeout(room.expiryTimer);
    room.expiryTimer = null;
    this.#rooms.delete(room.tokenHash);
  }

  /** Arms the deadline timer of a live room whose session is active. */
  #schedule(room: Room, row: TokenRow) {
    if (room.expiryTimer !== null || row.session_expires_at === null || row.ended_at !== null) {
      return;
    }
    const expiresAt = row.session_expires_at;
    room.expiresAt = expiresAt;
    room.expiryTimer = this.clock.setTimeout(() => {
      room.expiryTimer = null;
      this.#expire(room.tokenHash, expiresAt).catch((error) =>
        console.error("Session expiry failed:", error)
      );
    }, expiresAt - this.clock.now());
  }

  async #expire(tokenHash: string, expiresAt: number) {
    const row = await findTokenByHash(this.db, tokenHash);
    if (!row) return;
    const now = Math.max(this.clock.now(), expiresAt);
    await recordExpiry(this.db, row, now);
    await this.#closeRoom(tokenHash, "expired");
  }

  async #statusFrame(room: Room) {
    const row = await findTokenByHash(this.db, room.tokenHash);
    if (!row) return null;
    const participants = await listParticipants(this.db, row.id);
    const connected = this.#fanout.present(room.tokenHash);
    const view = sessionView(room.token, row, participants, connected, this.clock.now());
    return { row, view: { type: "status", ...view, connected: [...connected] } };
  }

  async #broadcastStatus(room: Room) {
    const status = await this.#statusFrame(room);
    if (!status) return;
    for (const [role, socket] of room.sockets) {
      socket.send(JSON.stringify({ ...status.view, you: role }));
    }
    this.#schedule(room, status.row);
  }

  async #closeRoom(tokenHash: string, reason: EndReason) {
    const room = this.#rooms.get(tokenHash);
    if (!room) return;
    // The contract sends the status on close too, so a client shows "closed" with the final
    // participants before it hears why.
    const status = await this.#statusFrame(room).catch((error) => {
      console.error("Status on close failed:", error);
      return null;
    });
    const frame = JSON.stringify({ type: "session_closed", reason });
    for (const [role, socket] of room.sockets) {
      this.#detachers.get(socket)?.();
      this.#detachers.delete(socket);
      if (status) socket.send(JSON.stringify({ ...status.view, you: role }));
      socket.send(frame);
      socket.close(CLOSE.normal, reason === "expired" ? "Session expired" : "Session ended");
    }
    room.sockets.clear();
    this.#dropRoom(room);
  }

  /** The guest's join activated a session: tell a waiting host and start the deadline. */
  async sessionActivated(token: string): Promise<void> {
    const room = this.#rooms.get(hashToken(token));
    if (room) await this.#broadcastStatus(room);
  }

  /** A seat holder ended the session through the API. */
  sessionEnded(tokenHash: string, reason: EndReason): Promise<void> {
    return this.#closeRoom(tokenHash, reason);
  }

  /**
   * Records every deadline that passed while the server was down, so the database agrees with what
   * readers already derive. Called once at start-up.
   */
  async recordMissedExpiries(): Promise<number> {
    const now = this.clock.now();
    let count = 0;
    for (const row of await listOpenActiveSessions(this.db)) {
      if (row.session_expires_at! <= now) {
        await recordExpiry(this.db, row, now);
        count++;
      }
    }
    return count;
  }

  /** Closes every socket with 1001 (server going away) and stops every timer. */
  shutdown(): void {
    for (const room of [...this.#rooms.values()]) {
      for (const socket of room.sockets.values()) {
        this.#detachers.get(socket)?.();
        socket.close(CLOSE.goingAway, "Server shutting down");
      }
      room.sockets.clear();
      this.#dropRoom(room);
    }
  }
}
