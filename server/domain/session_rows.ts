/**
 * A read-through cache of each session's stored rows (token and seats), for the status endpoint,
 * the hottest read. What a reader sees is still derived from these rows and the clock on every
 * read, so time alone never makes an entry stale; only writes do. Only the sessions service
 * (sessions_service.ts) holds one: it forgets an entry on every change, here or elsewhere.
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
  ) {}

  /** The rows of the session whose token hashes to `tokenHash`, or null when there is none. */
  async get(tokenHash: string): Promise<SessionRows | null> {
    const hit = this.#entries.get(tokenHash);
    if (hit) return hit;
    const generation = this.#generation;
    const entry = await this.load(tokenHash);
    // Unknown tokens are not remembered: guessing must not fill the cache.
    if (!entry) return null;
    if (generation === this.#generation) {
      if (this.#entries.size >= this.capacity) {
        this.#entries.delete(this.#entries.keys().next().value!);
      }
      this.#entries.set(tokenHash, entry);
    }
    return entry;
  }

  /**
   * The rows as stored right now, bypassing the cache: for a decision that must see a write made
   * on another instance whose announcement may not have arrived yet (seating a socket).
   */
  async load(tokenHash: string): Promise<SessionRows | null> {
    const row = await findTokenByHash(this.db, tokenHash);
    return row ? { row, participants: await listParticipants(this.db, row.id) } : null;
  }

  /** The session's rows changed (here or on another instance). */
  forget(tokenHash: string): void {
    this.#generation++;
    this.#entries.delete(tokenHash);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
