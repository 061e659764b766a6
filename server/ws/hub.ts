/**
 * The realtime hub: seats, presence, relaying and exact expiry.
 *
 * Each socket authenticates with its first frame, then holds one seat of one session. The hub
 * relays `signal` and `relay` frames to the other seat only (through a {@link Fanout}), tells both
 * seats the session status on every change (the sessions service's change events, wherever the
 * change happened, and seat changes the fan-out reports), and closes every socket of a session the moment its
 * deadline passes, with a timer per live session rather than waiting for traffic.
 *
 * `deno task start` runs V8 with 64 MB semi-spaces (--max-semi-space-size=64): every relayed frame
 * leaves a few KB of short-lived garbage, mostly in Deno's socket machinery, and the larger young
 * generation cut the time spent in scavenge pauses by ~40% at 10,000 sockets, for ~5 KB more
 * resident memory per idle socket in the relay benchmark.
 */
import type { ServerFrame } from "../../contract/frames.ts";
import type { Clock, TimerHandle } from "../clock.ts";
import type { TokenRow } from "../db/tokens_repo.ts";
import { type EndReason, type Role, sessionStatus, sessionView } from "../domain/sessions.ts";
import {
  type SessionChange,
  type SessionsService,
  tokenHashOf,
} from "../domain/sessions_service.ts";
import { TURN_MARGIN_MS, type TurnConfig, turnIceServer } from "../turn_credentials.ts";
import { UNLIMITED_ATTEMPTS } from "./auth_attempts.ts";
import { type Fanout, InProcessFanout } from "./fanout.ts";
import {
  CLOSE,
  type Connection,
  type HubSocket,
  SeatConnection,
  type SeatDesk,
  type SeatRoom,
} from "./seat_connection.ts";

export type { Connection, HubSocket } from "./seat_connection.ts";

/** WebSocket "service restart": the contract's code for an instance that is shutting down. */
const CLOSE_RESTART = 1012;

interface Room extends SeatRoom {
  token: string;
  sockets: Map<Role, SeatConnection>;
  expiryTimer: TimerHandle | null;
}

export class Hub {
  readonly #rooms = new Map<string, Room>();
  readonly #fanout: Fanout;
  /** Closed instead of taking new sockets once draining has begun. */
  #draining = false;
  #stopped = false;
  /**
   * Database work started by socket events rather than requests (seating, presence, closing):
   * shutdown waits for it, so the database is never closed under a query.
   */
  readonly #inFlight = new Set<Promise<unknown>>();
  /** What every SeatConnection of this hub asks of it. */
  readonly #desk: SeatDesk;

  constructor(
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    fanout: Fanout = new InProcessFanout(),
    /** CHAT_TURN_*: each seat gets credentials of its own after authenticating. */
    private readonly turn: TurnConfig | null = null,
  ) {
    this.#fanout = fanout;
    this.#desk = {
      clock,
      fanout,
      seat: (connection, participantId) => this.#track(this.#seat(connection, participantId)),
      leave: (connection, room, role) => this.#leave(room as Room, role, connection),
    };
    sessions.onChange((tokenHash, change) => this.#track(this.#changed(tokenHash, change)));
    // Seats taken or left on another instance change the presence both seats are shown.
    fanout.listen?.((tokenHash, event) => {
      if (event.type !== "seats" || this.#stopped) return;
      const room = this.#rooms.get(tokenHash);
      if (room) {
        this.#track(this.#broadcastStatus(room)).catch((error) =>
          console.error("Status broadcast failed:", error)
        );
      }
    });
  }

  /** A session changed, here or on another instance: its seats hear of it. */
  async #changed(tokenHash: string, change: SessionChange): Promise<void> {
    if (this.#stopped) return;
    if (change.type === "ended") return this.#closeRoom(tokenHash, change.reason);
    if (change.type !== "activated") return;
    // The guest's join activated the session: tell a waiting host and start the deadline. A
    // host's TURN credentials, issued before there was a deadline, are renewed for it.
    const room = this.#rooms.get(tokenHash);
    if (!room) return;
    const session = this.turn ? await this.sessions.readByHash(tokenHash, true) : null;
    if (session) {
      const connections = [...room.sockets.values()];
      const frames = await Promise.all(connections.map(() => this.#turnFrame(session.row)));
      if (this.#stopped) return;
      connections.forEach((connection, i) => connection.deliver(frames[i]));
    }
    await this.#broadcastStatus(room);
  }

  /**
   * A `turn` frame of fresh credentials for one seat, valid until the session's deadline (before
   * it starts, a whole session from now) plus a margin. Never logged: it is a credential.
   */
  async #turnFrame(row: TokenRow): Promise<string> {
    const deadline = row.session_expires_at ?? this.clock.now() + row.session_ttl_seconds * 1000;
    const server = await turnIceServer(this.turn!, deadline + TURN_MARGIN_MS);
    return JSON.stringify({ type: "turn", iceServers: [server] } satisfies ServerFrame);
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    const forget = () => this.#inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once no database work of this hub is running (call after shutdown or drain). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Number of sockets holding a seat (for health and benchmarks). */
  get socketCount(): number {
    let count = 0;
    for (const room of this.#rooms.values()) count += room.sockets.size;
    return count;
  }

  /** Starts the life of a new socket for `token`; the transport forwards its events. */
  connect(token: string, socket: HubSocket, attempts = UNLIMITED_ATTEMPTS): Connection {
    const connection = new SeatConnection(this.#desk, token, socket, attempts);
    if (this.#draining) connection.end(CLOSE_RESTART, "Server restarting");
    return connection;
  }

  async #seat(
    connection: SeatConnection,
    participantId: string,
  ): Promise<{ room: Room; role: Role } | null> {
    const token = connection.token;
    const attempts = connection.attempts;
    if (await attempts.blocked()) {
      connection.end(CLOSE.tooManyAttempts, "Too many failed attempts");
      return null;
    }
    const refuse = async (code: number, reason: string) => {
      if (await attempts.failed()) {
        connection.end(CLOSE.tooManyAttempts, "Too many failed attempts");
      } else connection.end(code, reason);
      return null;
    };
    // Fresh, not cached: the seat may have been taken on another instance a moment ago.
    const hash = tokenHashOf(token);
    const session = hash === null ? null : await this.sessions.readByHash(hash, true);
    if (!session) return refuse(CLOSE.notFound, "Unknown token");
    const { tokenHash, row } = session;
    const status = sessionStatus(row, this.clock.now());
    if (status === "closed" || status === "expired") {
      connection.end(CLOSE.gone, status === "closed" ? "Session closed" : "Token expired");
      return null;
    }
    const participant = this.sessions.seatOf(session, participantId);
    if (!participant) return refuse(CLOSE.unauthorized, "Unknown seat credential");
    const role = participant.role;
    const turn = this.turn ? await this.#turnFrame(row) : null;
    let room = this.#rooms.get(tokenHash);
    if (!room) {
      room = { tokenHash, token, sockets: new Map(), expiresAt: null, expiryTimer: null };
      this.#rooms.set(tokenHash, room);
    }
    const previous = room.sockets.get(role);
    room.sockets.set(role, connection);
    this.#fanout.attach(tokenHash, role, connection);
    previous?.end(CLOSE.replaced, "Replaced by a newer connection");
    // Before the status that answers the auth, so the client has it before it builds its link.
    if (turn) connection.deliver(turn);
    this.#schedule(room, row);
    await this.#broadcastStatus(room);
    return { room, role };
  }

  #leave(room: Room, role: Role, connection: SeatConnection) {
    this.#fanout.detach(room.tokenHash, role, connection);
    if (room.sockets.get(role) !== connection) return;
    room.sockets.delete(role);
    if (room.sockets.size === 0) {
      this.#dropRoom(room);
      return;
    }
    this.#track(this.#broadcastStatus(room)).catch((error) =>
      console.error("Status broadcast failed:", error)
    );
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
      // The service records it and emits "ended", which closes the room (#changed).
      this.#track(this.sessions.expire(room.tokenHash, expiresAt)).catch((error) =>
        console.error("Session expiry failed:", error)
      );
    }, expiresAt - this.clock.now());
  }

  async #statusFrame(room: Room) {
    const session = await this.sessions.readByHash(room.tokenHash, true);
    if (!session) return null;
    const { row, participants } = session;
    const connected = this.#fanout.present(room.tokenHash);
    const view = sessionView(room.token, row, participants, connected, this.clock.now());
    return { row, view: { type: "status" as const, ...view, connected: [...connected] } };
  }

  async #broadcastStatus(room: Room) {
    // Sockets closed by a shutdown leave after it: the database may be closed by then.
    if (this.#stopped) return;
    const status = await this.#statusFrame(room);
    if (!status) return;
    for (const [role, connection] of room.sockets) {
      connection.deliver(JSON.stringify({ ...status.view, you: role } satisfies ServerFrame));
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
    const frame = JSON.stringify({ type: "session_closed", reason } satisfies ServerFrame);
    for (const [role, connection] of room.sockets) {
      this.#fanout.detach(tokenHash, role, connection);
      if (status) {
        connection.deliver(JSON.stringify({ ...status.view, you: role } satisfies ServerFrame));
      }
      connection.deliver(frame);
      connection.end(CLOSE.normal, reason === "expired" ? "Session expired" : "Session ended");
    }
    room.sockets.clear();
    this.#dropRoom(room);
  }

  /**
   * Stops taking sockets and closes every socket with 1012 (service restart): clients reconnect
   * at once, through the load balancer, to an instance that stays.
   */
  drain(): void {
    this.#draining = true;
    this.shutdown(CLOSE_RESTART, "Server restarting");
  }

  /** Closes every socket with 1001 (server going away) and stops every timer. */
  shutdown(code: number = CLOSE.goingAway, reason = "Server shutting down"): void {
    this.#stopped = true;
    for (const room of [...this.#rooms.values()]) {
      for (const [role, connection] of room.sockets) {
        this.#fanout.detach(room.tokenHash, role, connection);
        connection.end(code, reason);
      }
      room.sockets.clear();
      this.#dropRoom(room);
    }
  }
}
