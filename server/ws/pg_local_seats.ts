/**
 * The seats this instance's own sockets hold (pg_fanout.ts): who receives a seat's frames, and
 * whether the instance's own attach for it has come back through PostgreSQL yet.
 */
import type { SeatReceiver, SeatRole } from "./fanout.ts";

export interface LocalSeat {
  receiver: SeatReceiver;
  /** True once this instance's own attach came back: later attaches elsewhere replace it. */
  announced: boolean;
}

const ROLES = ["host", "guest"] as const;

export class LocalSeats {
  readonly #sessions = new Map<string, { host?: LocalSeat; guest?: LocalSeat }>();

  get(session: string, role: SeatRole): LocalSeat | undefined {
    return this.#sessions.get(session)?.[role];
  }

  /** `receiver` now holds the seat, not yet announced. */
  take(session: string, role: SeatRole, receiver: SeatReceiver): void {
    const seats = this.#sessions.get(session) ?? {};
    seats[role] = { receiver, announced: false };
    this.#sessions.set(session, seats);
  }

  /** The seat is let go if `receiver` still holds it; false when it did not. */
  leave(session: string, role: SeatRole, receiver: SeatReceiver): boolean {
    const seats = this.#sessions.get(session);
    if (seats?.[role]?.receiver !== receiver) return false;
    delete seats[role];
    if (!seats.host && !seats.guest) this.#sessions.delete(session);
    return true;
  }

  /** Every session with a seat held here, and the roles held in it. */
  *held(): Generator<[string, SeatRole[]]> {
    for (const [session, seats] of this.#sessions) {
      yield [session, ROLES.filter((role) => seats[role])];
    }
  }
}
