/**
 * The hub's fan-out across instances, over PostgreSQL LISTEN/NOTIFY.
 *
 * Every instance listens on two channels on one dedicated connection (postgres.js keeps LISTEN on
 * a connection of its own and re-establishes it): a shared one for seat and session news, and
 * its own for frames addressed to the seats it holds. Which instance holds which seat is gossiped
 * (attach, detach, a heartbeat every 2 s, and a hello that makes the others repeat what they
 * hold), so `present` answers from memory, as the status endpoint needs.
 *
 * NOTIFY payloads are capped below 8000 bytes: small messages share a payload, a frame too large
 * for one is cut into parts that the receiver joins in order (one sending connection keeps every
 * payload of an instance in order). A part is held only until its frame is complete, and a frame
 * whose sender died half-way is dropped after a few seconds. A notification lost while a listener
 * reconnects is lost for good: the client's resend-until-acknowledged covers chat messages.
 */
import type postgres from "postgres";
import { postgresClient, type PostgresTarget, schemaOf } from "../db/postgres.ts";
import type { Fanout, SeatReceiver, SeatRole, SessionEvent } from "./fanout.ts";
import type { SessionChange } from "../domain/sessions_service.ts";
import { PartAssembler, PayloadPacker } from "./pg_payloads.ts";
import { RemoteSeats } from "./pg_remote_seats.ts";

const HEARTBEAT_MS = 2_000;
const REPLACED = 4409;

/** Messages on the wire: a JSON array whose first element says what it is. */
type Message =
  | ["f", string, SeatRole, string] // a frame for a seat
  | ["a" | "d" | "s", string, string, SeatRole] // attach, detach, still present: instance, seat
  | ["h" | "k" | "x", string] // hello, heartbeat, leaving: instance
  | ["c", string, string, SessionChange]; // instance, session, the sessions service's change

interface LocalSeat {
  receiver: SeatReceiver;
  /** True once this instance's own attach came back: later attaches elsewhere replace it. */
  announced: boolean;
}

type Handler = (session: string, event: SessionEvent) => void;

export class PostgresFanout implements Fanout {
  readonly instance = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  readonly #local = new Map<string, { host?: LocalSeat; guest?: LocalSeat }>();
  readonly #remote = new RemoteSeats();
  readonly #handlers: Handler[] = [];
  readonly #packer: PayloadPacker;
  readonly #parts = new PartAssembler();
  readonly #all: string;
  readonly #prefix: string;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  private constructor(private readonly sql: postgres.Sql, prefix: string) {
    this.#prefix = prefix;
    this.#all = `${prefix}_all`;
    this.#packer = new PayloadPacker((channel, payload) => this.#notify(channel, payload));
  }

  /**
   * Connects and starts listening. `target.schema` namespaces the channels, so clusters sharing a
   * database (tests) never hear each other.
   */
  static async start(target: PostgresTarget): Promise<PostgresFanout> {
    // One connection: NOTIFYs leave in the order they were queued.
    const prefix = schemaOf(target) ?? "chatorbit";
    const sql = postgresClient(target, { max: 1, applicationName: `chatorbit-fanout-${prefix}` });
    const fanout = new PostgresFanout(sql, prefix);
    await fanout.#listen();
    return fanout;
  }

  async #listen() {
    const onListen = () => {
      // (Re)connected: what the others hold may have changed meanwhile; ask them again.
      this.#remote.clear();
      this.#publish(this.#all, ["h", this.instance]);
      for (const [session, seats] of this.#local) {
        for (const role of ["host", "guest"] as const) {
          if (seats[role]) this.#publish(this.#all, ["s", this.instance, session, role]);
        }
        this.#emit(session, { type: "seats" });
      }
    };
    const onPayload = (payload: string) => this.#receive(payload);
    await this.sql.listen(this.#all, onPayload, onListen);
    await this.sql.listen(this.#channelOf(this.instance), onPayload);
    const heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
    Deno.unrefTimer(heartbeat);
    this.#heartbeat = heartbeat;
  }

  #channelOf(instance: string): string {
    return `${this.#prefix}_${instance}`;
  }

  attach(session: string, role: SeatRole, receiver: SeatReceiver): void {
    const seats = this.#local.get(session) ?? {};
    seats[role] = { receiver, announced: false };
    this.#local.set(session, seats);
    this.#publish(this.#all, ["a", this.instance, session, role]);
  }

  detach(session: string, role: SeatRole, receiver: SeatReceiver): void {
    const seats = this.#local.get(session);
    if (seats?.[role]?.receiver !== receiver) return;
    delete seats[role];
    if (!seats.host && !seats.guest) this.#local.delete(session);
    this.#publish(this.#all, ["d", this.instance, session, role]);
  }

  send(session: string, role: SeatRole, frame: string): boolean {
    const local = this.#local.get(session)?.[role];
    if (local) {
      local.receiver.deliver(frame);
      return true;
    }
    const owner = this.#remote.owner(session, role);
    if (!owner) return false;
    this.#publish(this.#channelOf(owner), ["f", session, role, frame]);
    return true;
  }

  present(session: string): Set<SeatRole> {
    const present = new Set<SeatRole>();
    const local = this.#local.get(session);
    for (const role of ["host", "guest"] as const) {
      if (local?.[role] || this.#remote.owner(session, role)) present.add(role);
    }
    return present;
  }

  /** Carries a change as it is: a new kind of change needs nothing here. */
  announce(session: string, change: SessionChange): void {
    this.#publish(this.#all, ["c", this.instance, session, change]);
  }

  listen(handler: Handler): void {
    this.#handlers.push(handler);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#publish(this.#all, ["x", this.instance]);
    await this.#packer.flush();
    await this.sql.end({ timeout: 2 });
  }

  #beat() {
    this.#publish(this.#all, ["k", this.instance]);
    this.#parts.dropStale();
    // Forget the seats of instances that went silent, and tell the hub who is left.
    for (const session of this.#remote.dropSilent()) this.#emit(session, { type: "seats" });
  }

  #publish(channel: string, message: Message) {
    if (this.#closed && message[0] !== "x") return;
    this.#packer.push(channel, message);
  }

  async #notify(channel: string, payload: string): Promise<void> {
    try {
      await this.sql.notify(channel, payload);
    } catch (error) {
      // The database is away: seats and sessions resync on reconnect, clients resend messages.
      if (!this.#closed) console.error("Fan-out NOTIFY failed:", (error as Error).message);
    }
  }

  #receive(payload: string) {
    let messages: unknown[][];
    try {
      messages = JSON.parse(payload);
    } catch {
      return;
    }
    if (!Array.isArray(messages)) return;
    for (const message of messages) {
      if (!Array.isArray(message)) continue;
      if (message[0] === "p") {
        const whole = this.#parts.add(message);
        if (whole) this.#handle(whole as Message);
      } else this.#handle(message as Message);
    }
  }

  #handle(message: Message) {
    switch (message[0]) {
      case "f": {
        // The seat may have left since the sender looked: the client resends what matters.
        this.#local.get(message[1])?.[message[2]]?.receiver.deliver(message[3]);
        return;
      }
      case "a":
      case "s":
        return this.#seatTaken(message[1], message[2], message[3], message[0] === "a");
      case "d":
        return this.#seatLeft(message[1], message[2], message[3]);
      case "h":
        this.#remote.heard(message[1]);
        if (message[1] !== this.instance) this.#repeatSeats();
        return;
      case "k":
        this.#remote.heard(message[1]);
        return;
      case "x":
        return this.#instanceLeft(message[1]);
      // An instance acted on its own announcements already; only the others' matter here.
      case "c":
        if (message[1] === this.instance) return;
        return this.#emit(message[2], message[3]);
    }
  }

  #seatTaken(instance: string, session: string, role: SeatRole, isAttach: boolean) {
    this.#remote.heard(instance);
    const local = this.#local.get(session)?.[role];
    if (instance === this.instance) {
      if (local && isAttach) local.announced = true;
      return;
    }
    this.#remote.take(instance, session, role);
    // Every instance sees attaches in the same order: the later one keeps the seat. A local
    // socket whose own attach is still on its way is the later one, so it stays.
    if (isAttach && local?.announced) {
      this.detach(session, role, local.receiver);
      local.receiver.end(REPLACED, "Replaced by a newer connection");
    }
    this.#emit(session, { type: "seats" });
  }

  #seatLeft(instance: string, session: string, role: SeatRole) {
    if (this.#remote.leave(instance, session, role)) this.#emit(session, { type: "seats" });
  }

  #instanceLeft(instance: string) {
    for (const session of this.#remote.forgetInstance(instance)) {
      this.#emit(session, { type: "seats" });
    }
  }

  #repeatSeats() {
    for (const [session, seats] of this.#local) {
      for (const role of ["host", "guest"] as const) {
        if (seats[role]) this.#publish(this.#all, ["s", this.instance, session, role]);
      }
    }
  }

  #emit(session: string, event: SessionEvent) {
    for (const handler of this.#handlers) {
      try {
        handler(session, event);
      } catch (error) {
        console.error("Fan-out handler failed:", error);
      }
    }
  }
}
