/**
 * Which other instance holds which seat, as their gossip tells it (pg_fanout.ts): an owner counts
 * only while it has been heard within the timeout, so a killed instance's seats stop being present.
 */
import type { SeatRole } from "./fanout.ts";

/** An instance not heard for this long is gone (killed): its seats stop counting as present. */
const INSTANCE_TIMEOUT_MS = 7_000;
const ROLES = ["host", "guest"] as const;

export class RemoteSeats {
  readonly #owners = new Map<string, { host?: string; guest?: string }>();
  readonly #heard = new Map<string, number>();

  /** An instance spoke (any message): it is alive. */
  heard(instance: string): void {
    this.#heard.set(instance, Date.now());
  }

  /** The live instance holding a seat, or null. */
  owner(session: string, role: SeatRole): string | null {
    const owner = this.#owners.get(session)?.[role];
    return owner && this.#alive(owner) ? owner : null;
  }

  take(instance: string, session: string, role: SeatRole): void {
    const seats = this.#owners.get(session) ?? {};
    seats[role] = instance;
    this.#owners.set(session, seats);
  }

  /** True when `instance` held the seat (and so it changed). */
  leave(instance: string, session: string, role: SeatRole): boolean {
    const seats = this.#owners.get(session);
    if (!seats || seats[role] !== instance) return false;
    delete seats[role];
    if (!seats.host && !seats.guest) this.#owners.delete(session);
    return true;
  }

  /** An instance said goodbye: the sessions whose seats it held. */
  forgetInstance(instance: string): string[] {
    this.#heard.delete(instance);
    return this.#dropWhere((owner) => owner === instance);
  }

  /** Forgets the seats of instances that went silent: the sessions that changed. */
  dropSilent(): string[] {
    return this.#dropWhere((owner) => !this.#alive(owner));
  }

  /** After a reconnect: what the others hold is asked again. */
  clear(): void {
    this.#owners.clear();
  }

  #alive(instance: string): boolean {
    return (this.#heard.get(instance) ?? 0) > Date.now() - INSTANCE_TIMEOUT_MS;
  }

  #dropWhere(gone: (owner: string) => boolean): string[] {
    const changed: string[] = [];
    for (const [session, seats] of this.#owners) {
      let dropped = false;
      for (const role of ROLES) {
        const owner = seats[role];
        if (owner && gone(owner)) {
          delete seats[role];
          dropped = true;
        }
      }
      if (!seats.host && !seats.guest) this.#owners.delete(session);
      if (dropped) changed.push(session);
    }
    return changed;
  }
}
