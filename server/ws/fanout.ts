/**
 * Delivery of frames to the seats of a session.
 *
 * The hub decides what goes where; a Fanout only carries serialized frames to the socket that
 * holds a seat. This in-process version is a map. A multi-instance deployment implements the same
 * four methods over a pub/sub engine (one channel per session), and the hub's rules stay as they are.
 */
import type { Role } from "../../contract/session.ts";
import type { SessionChange } from "../domain/sessions_service.ts";

/** A seat is named by its role. */
export type SeatRole = Role;

/** The local end of a seat: the hub's per-socket connection object, no closure per socket. */
export interface SeatReceiver {
  deliver(frame: string): void;
  /** Closes the socket (a fan-out across instances ends a seat taken over elsewhere with 4409). */
  end(code: number, reason: string): void;
}

/**
 * What one instance tells the others about a session (nothing is said in one process): the
 * sessions service's changes, carried as they are, and seat changes the fan-out raises itself.
 */
export type SessionEvent =
  | SessionChange
  /** A seat was taken or left on another instance (raised by the fan-out itself). */
  | { type: "seats" };

export interface Fanout {
  /** Registers the local socket of a seat, in place of any earlier one. */
  attach(session: string, role: SeatRole, receiver: SeatReceiver): void;
  /** Removes a seat's registration if `receiver` still holds it (a replacement may have taken it). */
  detach(session: string, role: SeatRole, receiver: SeatReceiver): void;
  /** Delivers a serialized frame to a seat; false when no socket holds that seat. */
  send(session: string, role: SeatRole, frame: string): boolean;
  /** The seats of a session that have a socket attached. */
  present(session: string): Set<SeatRole>;
  /** Tells the other instances about a session; absent in one process. */
  announce?(session: string, event: SessionEvent): void;
  /** Adds a handler of what other instances announce (and of remote seat changes). */
  listen?(handler: (session: string, event: SessionEvent) => void): void;
  /** Says goodbye to the other instances and closes the fan-out's connection. */
  close?(): Promise<void>;
}

/** The two seats of one session; a plain object is smaller than a Map per session. */
interface Seats {
  host: SeatReceiver | null;
  guest: SeatReceiver | null;
}

export class InProcessFanout implements Fanout {
  readonly #sessions = new Map<string, Seats>();

  attach(session: string, role: SeatRole, receiver: SeatReceiver): void {
    const seats = this.#sessions.get(session);
    if (seats) seats[role] = receiver;
    else {
      this.#sessions.set(session, {
        host: role === "host" ? receiver : null,
        guest: role === "guest" ? receiver : null,
      });
    }
  }

  detach(session: string, role: SeatRole, receiver: SeatReceiver): void {
    const seats = this.#sessions.get(session);
    if (!seats || seats[role] !== receiver) return;
    seats[role] = null;
    if (!seats.host && !seats.guest) this.#sessions.delete(session);
  }

  send(session: string, role: SeatRole, frame: string): boolean {
    const receiver = this.#sessions.get(session)?.[role];
    if (!receiver) return false;
    receiver.deliver(frame);
    return true;
  }

  present(session: string): Set<SeatRole> {
    const seats = this.#sessions.get(session);
    const present = new Set<SeatRole>();
    if (seats?.host) present.add("host");
    if (seats?.guest) present.add("guest");
    return present;
  }
}
