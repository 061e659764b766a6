/**
 * A read-through cache of each session's stored rows (token and seats), for the status endpoint,
 * the hottest read. What a reader sees is still derived from these rows and the clock on every
 * read, so time alone never makes an entry stale; only writes do, and every write that changes
 * what status shows (a join, an end, the retention sweep) invalidates.
 *
 * Across instances, `onInvalidate` tells the others (app.ts wires it to the hub's fan-out), and
 * what they tell arrives through `forget`.
 */
import type { Db } from "../db/database.ts";
import {
  findTokenByHash,
  listParticipants,
  type ParticipantRow,
  type TokenRow,
} from "../db/tokens_repo.ts";

export interface SessionRows {
  row: TokenRow;
  participants: ParticipantRow[];
}

const DEFAULT_CAPACITY = 10_000;

export class SessionRowCache {
  readonly #entries = new Map<string, SessionRows>();
  /** Bumped by every invalidation, so a read that raced with a write does not cache old rows. */
  #generation = 0;

  constructor(
    private readonly db: Db,
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly onInvalidate: (tokenHash: string) => void = () => {},
  ) {}

  /** The rows of the session whose token hashes to `tokenHash`, or null when there is none. */
  async get(tokenHash: string): Promise<SessionRows | null> {
    const hit = this.#entries.get(tokenHash);
    if (hit) return hit;
    const generation = this.#generation;
    const row = await findTokenByHash(this.db, tokenHash);
    // Unknown tokens are not remembered: guessing must not fill the cache.
    if (!row) return null;
    const entry = { row, participants: await listParticipants(this.db, row.id) };
    if (generation === this.#generation) {
      if (this.#entries.size >= this.capacity) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
      this.#entries.set(tokenHash, entry);
    }
    return entry;
  }

  /** A write here changed the session's rows. */
  invalidate(tokenHash: string): void {
    this.forget(tokenHash);
    this.onInvalidate(tokenHash);
  }

  /** Drops this instance's copy only (another instance wrote). */
  forget(tokenHash: string): void {
    this.#generation++;
    this.#entries.delete(tokenHash);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
