/**
 * Who may open a socket: per-address caps on open and on not-yet-authenticated sockets, and a
 * process-wide memory guard. Deno buffers a whole incoming message before the app sees it (no
 * maximum-message option), so the count of sockets one address holds, and how long they may stay
 * unauthenticated, is what bounds the memory that address can make the server hold.
 */

export interface AdmissionLimits {
  /** Open sockets one address may hold (two seats, a few tabs and reconnects to spare). */
  socketsPerAddress: number;
  /** Of those, how many may not have authenticated yet. */
  unauthenticatedPerAddress: number;
  /** Resident memory past which new sockets are refused and unauthenticated ones closed. */
  memoryLimitBytes: number;
}

export type Refusal = "too_many_sockets" | "server_busy";

interface Counts {
  open: number;
  unauthenticated: number;
}

/** A socket's place; `authenticated` and `release` are safe to call more than once. */
export class AdmissionTicket {
  #authenticated = false;
  #released = false;

  constructor(
    private readonly admission: SocketAdmission,
    readonly address: string,
    /** Closes the socket when the memory guard sheds unauthenticated sockets. */
    readonly shed: () => void,
  ) {}

  authenticated(): void {
    if (this.#authenticated || this.#released) return;
    this.#authenticated = true;
    this.admission.authenticatedTicket(this);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.admission.releasedTicket(this, this.#authenticated);
  }
}

export class SocketAdmission {
  readonly #counts = new Map<string, Counts>();
  readonly #unauthenticated = new Set<AdmissionTicket>();

  constructor(
    readonly limits: AdmissionLimits,
    private readonly memoryBytes: () => number = () => Deno.memoryUsage().rss,
  ) {}

  /** A ticket for a new socket from `address`, or why it is refused. */
  admit(address: string, shed: () => void): AdmissionTicket | Refusal {
    if (this.memoryBytes() > this.limits.memoryLimitBytes) {
      this.shedUnauthenticated();
      return "server_busy";
    }
    const counts = this.#counts.get(address) ?? { open: 0, unauthenticated: 0 };
    if (
      counts.open >= this.limits.socketsPerAddress ||
      counts.unauthenticated >= this.limits.unauthenticatedPerAddress
    ) return "too_many_sockets";
    counts.open++;
    counts.unauthenticated++;
    this.#counts.set(address, counts);
    const ticket = new AdmissionTicket(this, address, shed);
    this.#unauthenticated.add(ticket);
    return ticket;
  }

  /** Closes every socket that has not authenticated (the memory guard's second step). */
  shedUnauthenticated(): void {
    for (const ticket of [...this.#unauthenticated]) ticket.shed();
  }

  /** Open sockets of `address` (for tests). */
  openSockets(address: string): number {
    return this.#counts.get(address)?.open ?? 0;
  }

  authenticatedTicket(ticket: AdmissionTicket): void {
    this.#unauthenticated.delete(ticket);
    const counts = this.#counts.get(ticket.address);
    if (counts) counts.unauthenticated--;
  }

  releasedTicket(ticket: AdmissionTicket, authenticated: boolean): void {
    this.#unauthenticated.delete(ticket);
    const counts = this.#counts.get(ticket.address);
    if (!counts) return;
    counts.open--;
    if (!authenticated) counts.unauthenticated--;
    if (counts.open <= 0) this.#counts.delete(ticket.address);
  }
}
