/**
 * The hub's fan-out across instances, over PostgreSQL LISTEN/NOTIFY.
 *
 * Every instance listens on two channels on one dedicated connection: a shared one for seat and
 * session news, and its own for frames addressed to the seats it holds. postgres.js re-listens
 * when that connection closes, but nothing tells it about a connection that went silent (half-open
 * TCP; in CI a listener once never came back after its backend was terminated), which leaves the
 * instance deaf and its NOTIFYs queued without end. So the fan-out watches itself: it hears its
 * own heartbeat, and when it has not for a few beats it replaces both of its clients. Which
 * instance holds which seat is gossiped (attach, detach, a heartbeat every 2 s, and a hello that
 * makes the others repeat what they hold), so `present` answers from memory, as the status
 * endpoint needs.
 *
 * NOTIFY payloads stay under PostgreSQL's 8000 bytes (pg_payloads.ts: small messages share one,
 * large frames go in parts). A notification lost while a listener reconnects is lost for good:
 * the client's resend-until-acknowledged covers chat messages.
 */
import type postgres from "postgres";
import { postgresClient, type PostgresTarget, schemaOf } from "../db/postgres.ts";
import type { Fanout, SeatReceiver, SeatRole, SessionEvent } from "./fanout.ts";
import type { SessionChange } from "../domain/sessions_service.ts";
import { PartAssembler, PayloadPacker } from "./pg_payloads.ts";
import { LocalSeats } from "./pg_local_seats.ts";
import { RemoteSeats } from "./pg_remote_seats.ts";

const HEARTBEAT_MS = 2_000;
/** Not hearing its own heartbeat for this long means this instance's connections are gone. */
const DEAF_AFTER_MS = 3 * HEARTBEAT_MS;
const REPLACED = 4409;

/** Messages on the wire: a JSON array whose first element says what it is. */
type Message =
  | ["f", string, SeatRole, string] // a frame for a seat
  | ["a" | "d" | "s", string, string, SeatRole] // attach, detach, still present: instance, seat
  | ["h" | "k" | "x", string] // hello, heartbeat, leaving: instance
  | ["c", string, string, SessionChange]; // instance, session, the sessions service's change

type Handler = (session: string, event: SessionEvent) => void;

export class PostgresFanout implements Fanout {
  readonly instance = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  readonly #local = new LocalSeats();
  readonly #remote = new RemoteSeats();
  readonly #handlers: Handler[] = [];
  readonly #packer: PayloadPacker;
  readonly #parts = new PartAssembler();
  readonly #all: string;
  readonly #prefix: string;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** The client that sends, one connection so NOTIFYs leave in the order they were queued. */
  #sender: postgres.Sql;
  /** The client holding LISTEN, apart from the sender, so each can be replaced. */
  #listener: postgres.Sql | undefined;
  #reconnecting = false;
  #lastHeardSelf = Date.now();
  #lastNotifyErrorLog = 0;

  private constructor(private readonly target: PostgresTarget, prefix: string) {
    this.#prefix = prefix;
    this.#sender = this.#client();
    this.#all = `${prefix}_all`;
    this.#packer = new PayloadPacker((channel, payload) => this.#notify(channel, payload));
  }

  /**
   * Connects and starts listening. `target.schema` namespaces the channels, so clusters sharing a
   * database (tests) never hear each other.
   */
  static async start(target: PostgresTarget): Promise<PostgresFanout> {
    const fanout = new PostgresFanout(target, schemaOf(target) ?? "chatorbit");
    try {
      await fanout.#listen();
    } catch (error) {
      await fanout.#sender.end({ timeout: 0 });
      throw error;
    }
    const heartbeat = setInterval(() => fanout.#beat(), HEARTBEAT_MS);
    Deno.unrefTimer(heartbeat);
    fanout.#heartbeat = heartbeat;
    return fanout;
  }

  #client(): postgres.Sql {
    return postgresClient(this.target, {
      max: 1,
      applicationName: `chatorbit-fanout-${this.#prefix}`,
    });
  }

  /** Listens on a new client; on failure that client is ended and the error thrown. */
  async #listen() {
    const listener = this.#client();
    // A replaced listener may still reconnect on its own before it is ended: it is ignored.
    const isCurrent = () => !this.#listener || this.#listener === listener;
    const onListen = () => {
      if (!isCurrent()) return;
      // (Re)connected: what the others hold may have changed meanwhile; ask them again.
      this.#remote.clear();
      this.#publish(this.#all, ["h", this.instance]);
      for (const [session, roles] of this.#local.held()) {
        for (const role of roles) this.#publish(this.#all, ["s", this.instance, session, role]);
        this.#emit(session, { type: "seats" });
      }
    };
    const onPayload = (payload: string) => {
      if (isCurrent()) this.#receive(payload);
    };
    try {
      await listener.listen(this.#all, onPayload, onListen);
      await listener.listen(this.#channelOf(this.instance), onPayload);
    } catch (error) {
      await listener.end({ timeout: 0 }).catch(() => {});
      throw error;
    }
    // Closed while this was connecting: nobody else will end this client.
    if (this.#closed) return void await listener.end({ timeout: 0 }).catch(() => {});
    this.#listener = listener;
    this.#lastHeardSelf = Date.now();
  }

  /** Replaces both clients of a deaf instance; tried again on later beats until it works. */
  async #reconnect() {
    if (this.#reconnecting || this.#closed) return;
    this.#reconnecting = true;
    const old = [this.#sender, this.#listener];
    this.#listener = undefined;
    this.#sender = this.#client();
    // Ended at once: queued NOTIFYs fail (clients resend), and no notification comes in twice.
    await Promise.all(old.map((client) => client?.end({ timeout: 0 }).catch(() => {})));
    try {
      await this.#listen();
      console.error("Fan-out clients replaced: this instance had stopped hearing itself.");
    } catch (error) {
      console.error("Fan-out could not reconnect:", (error as Error).message);
    } finally {
      this.#reconnecting = false;
    }
  }

  #channelOf(instance: string): string {
    return `${this.#prefix}_${instance}`;
  }

  attach(session: string, role: SeatRole, receiver: SeatReceiver): void {
    this.#local.take(session, role, receiver);
    this.#publish(this.#all, ["a", this.instance, session, role]);
  }

  detach(session: string, role: SeatRole, receiver: SeatReceiver): void {
    if (!this.#local.leave(session, role, receiver)) return;
    this.#publish(this.#all, ["d", this.instance, session, role]);
  }

  send(session: string, role: SeatRole, frame: string): boolean {
    const local = this.#local.get(session, role);
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
    for (const role of ["host", "guest"] as const) {
      if (this.#local.get(session, role) || this.#remote.owner(session, role)) present.add(role);
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
    // Bounded: on a connection that went silent the goodbye would wait for ever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#packer.flush(),
      new Promise((resolve) => timer = setTimeout(resolve, 2_000)),
    ]);
    clearTimeout(timer);
    await Promise.all([this.#sender.end({ timeout: 2 }), this.#listener?.end({ timeout: 2 })]);
  }

  #beat() {
    this.#publish(this.#all, ["k", this.instance]);
    if (Date.now() - this.#lastHeardSelf > DEAF_AFTER_MS) void this.#reconnect();
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
      await this.#sender.notify(channel, payload);
    } catch (error) {
      // The database is away: seats and sessions resync on reconnect, clients resend messages.
      // One line per heartbeat at most: an outage fails every queued NOTIFY at once.
      if (this.#closed || Date.now() - this.#lastNotifyErrorLog < HEARTBEAT_MS) return;
      this.#lastNotifyErrorLog = Date.now();
      console.error("Fan-out NOTIFY failed:", (error as Error).message);
    }
  }

  #receive(payload: string) {
    for (const message of this.#parts.messagesOf(payload)) this.#handle(message as Message);
  }

  #handle(message: Message) {
    switch (message[0]) {
      case "f": {
        // The seat may have left since the sender looked: the client resends what matters.
        this.#local.get(message[1], message[2])?.receiver.deliver(message[3]);
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
        if (message[1] === this.instance) this.#lastHeardSelf = Date.now();
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
    const local = this.#local.get(session, role);
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
    for (const [session, roles] of this.#local.held()) {
      for (const role of roles) this.#publish(this.#all, ["s", this.instance, session, role]);
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
