/**
 * Delivery of frames to the seats of a session.
 *
 * The hub decides what goes where; a Fanout only carries serialized frames to the socket that
 * holds a seat. This in-process version is a map. A multi-instance deployment implements the same
 * three methods over a pub/sub engine (one channel per session), and the hub's rules stay as they are.
 */
export type SeatRole = "host" | "guest";

export interface Fanout {
  /** Registers the local socket of a seat; returns the function that removes it. */
  attach(session: string, role: SeatRole, deliver: (frame: string) => void): () => void;
  /** Delivers a serialized frame to a seat; false when no socket holds that seat. */
  send(session: string, role: SeatRole, frame: string): boolean;
  /** The seats of a session that have a socket attached. */
  present(session: string): Set<SeatRole>;
}

export class InProcessFanout implements Fanout {
  readonly #sessions = new Map<string, Map<SeatRole, (frame: string) => void>>();

  attach(session: string, role: SeatRole, deliver: (frame: string) => void): () => void {
    let seats = this.#sessions.get(session);
    if (!seats) this.#sessions.set(session, seats = new Map());
    seats.set(role, deliver);
    return () => {
      const current = this.#sessions.get(session);
      if (current?.get(role) !== deliver) return;
      current.delete(role);
      if (current.size === 0) this.#sessions.delete(session);
    };
  }

  send(session: string, role: SeatRole, frame: string): boolean {
    const deliver = this.#sessions.get(session)?.get(role);
    if (!deliver) return false;
    deliver(frame);
    return true;
  }

  present(session: string): Set<SeatRole> {
    return new Set(this.#sessions.get(session)?.keys());
  }
}
