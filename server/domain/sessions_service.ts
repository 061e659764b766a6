/**
 * The sessions service: the one door to sessions for the HTTP handlers, the pages and the hub.
 *
 * Every read goes through `read`/`view` (and the row cache, which only this service touches);
 * every write goes through a method here: mint (which creates nothing a reader has cached), and
 * join, end, expiry and sweep, which clear the cache and emit a {@link SessionChange}. The hub
 * subscribes to the changes; app.ts forwards local changes to the other instances through the
 * fan-out and feeds theirs back in with `applyRemote`, so a change anywhere reaches every hub by
 * the same path. A change is a small message: the token hash and one of three kinds.
 */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/database.ts";
import { listOpenActiveSessions } from "../db/tokens_repo.ts";
import { tokenNotFound } from "../errors.ts";
import { sweep } from "../retention.ts";
import type { JoinedSeat, MintedToken, SessionView } from "../../contract/api.ts";
import type { EndReason, Role } from "../../contract/session.ts";
import { SessionRowCache, type SessionRows } from "./session_rows.ts";
import { type MintPolicy, type MintRequest, mintToken } from "./tokens.ts";
import {
  endSession,
  hashSeatCredential,
  hashToken,
  type JoinInput,
  joinSession,
  recordExpiry,
  sessionView,
  wrongCredential,
} from "./sessions.ts";

/** What changed about one session; small enough to travel between instances as it is. */
export type SessionChange =
  /** The guest's join started the session's deadline. */
  | { type: "activated" }
  | { type: "ended"; reason: EndReason }
  /** Stored rows changed in a way only readers need to know (a seat taken or re-issued). */
  | { type: "invalidate" };

/** Where a change happened: "local" ones are the ones to tell the other instances. */
export type ChangeOrigin = "local" | "remote";

export type ChangeListener = (
  tokenHash: string,
  change: SessionChange,
  origin: ChangeOrigin,
) => void | Promise<void>;

/** Tokens are base64url; anything else cannot exist, so it is "not found" without a query. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The one token check: the hash of a well-formed token, or null for one that cannot exist. */
export function tokenHashOf(token: string): string | null {
  if (!TOKEN_PATTERN.test(token)) return null;
  let hash = hashMemo.get(token);
  if (hash === undefined) {
    if (hashMemo.size >= HASH_MEMO_MAX) hashMemo.clear();
    hash = hashToken(token);
    hashMemo.set(token, hash);
  }
  return hash;
}

/**
 * Hashes of recently used tokens, in memory only (the database never holds a token): a status
 * poll or a socket's reconnection then costs no SHA-256. Bounded, cleared when full.
 */
const hashMemo = new Map<string, string>();
const HASH_MEMO_MAX = 10_000;

/** A session as read once: its token's hash and its stored rows. */
export interface ReadSession extends SessionRows {
  tokenHash: string;
}

export class SessionsService {
  readonly #cache: SessionRowCache;
  readonly #listeners: ChangeListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** The seats of a session with a live socket (the fan-out's view, across instances). */
    private readonly presence: (tokenHash: string) => ReadonlySet<Role>,
    /** The mint allowances as configured (the API and the landing form mint under the same). */
    private readonly mintPolicy: MintPolicy,
  ) {
    this.#cache = new SessionRowCache(db);
  }

  /** Adds a subscriber to every change, local or remote. */
  onChange(listener: ChangeListener): void {
    this.#listeners.push(listener);
  }

  /** A session by token, or null when it does not exist (malformed tokens cost no query). */
  async read(token: string): Promise<ReadSession | null> {
    const tokenHash = tokenHashOf(token);
    return tokenHash === null ? null : await this.readByHash(tokenHash);
  }

  /**
   * As {@link read}, for the hub, which names sessions by hash. `fresh` bypasses the cache, for
   * decisions that must see another instance's write before its announcement arrives.
   */
  async readByHash(tokenHash: string, fresh = false): Promise<ReadSession | null> {
    const rows = fresh ? await this.#cache.load(tokenHash) : await this.#cache.get(tokenHash);
    return rows ? { tokenHash, ...rows } : null;
  }

  /**
   * The status of a session as the API shows it. `credential` undefined leaves presence out; a
   * string (or null, for a malformed Authorization header) must open one of the seats.
   */
  async view(token: string, credential?: string | null): Promise<SessionView> {
    const session = await this.read(token);
    if (!session) throw tokenNotFound();
    let connected: ReadonlySet<Role> | null = null;
    if (credential !== undefined) {
      if (!this.seatOf(session, credential)) throw wrongCredential();
      connected = this.presence(session.tokenHash);
    }
    return sessionView(token, session.row, session.participants, connected, this.clock.now());
  }

  /** The seat a credential opens in a session already read, or null. */
  seatOf(
    session: SessionRows,
    credential: string | null,
  ): SessionRows["participants"][number] | null {
    if (credential === null) return null;
    const hash = hashSeatCredential(credential);
    return session.participants.find((p) => p.credential_hash === hash) ?? null;
  }

  /**
   * Mints a token for `clientAddress` (tokens.ts has the rules). Nothing is cached or announced:
   * no reader can have seen a token that did not exist.
   */
  mint(request: MintRequest, clientAddress: string): Promise<MintedToken> {
    return mintToken(this.db, this.clock, this.mintPolicy, request, clientAddress);
  }

  /** Seats a device (sessions.ts has the rules); resolves once every subscriber has heard. */
  async join(input: JoinInput): Promise<JoinedSeat> {
    const tokenHash = tokenHashOf(input.token);
    if (tokenHash === null) throw tokenNotFound();
    const { activated, ...result } = await joinSession(this.db, this.clock, input);
    await this.#changed(tokenHash, activated ? { type: "activated" } : { type: "invalidate" });
    return result;
  }

  /** Ends an open session on behalf of a seat holder. */
  async end(token: string, credential: string | null): Promise<void> {
    const tokenHash = tokenHashOf(token);
    // Fresh, not cached: a write decides on what is stored now.
    const session = tokenHash === null ? null : await this.readByHash(tokenHash, true);
    if (!session) throw tokenNotFound();
    if (!this.seatOf(session, credential)) throw wrongCredential();
    await endSession(this.db, session.row, this.clock.now());
    await this.#changed(session.tokenHash, { type: "ended", reason: "ended" });
  }

  /** Records that a session's deadline passed (the hub's timer calls this at the deadline). */
  async expire(tokenHash: string, expiresAt: number): Promise<void> {
    const session = await this.readByHash(tokenHash, true);
    if (!session) return;
    await recordExpiry(this.db, session.row, Math.max(this.clock.now(), expiresAt));
    await this.#changed(tokenHash, { type: "ended", reason: "expired" });
  }

  /**
   * Records every deadline that passed while the server was down, so the database agrees with what
   * readers already derive. Called once at start-up, before any socket is seated.
   */
  async recordMissedExpiries(): Promise<number> {
    const now = this.clock.now();
    let count = 0;
    for (const row of await listOpenActiveSessions(this.db)) {
      if (row.session_expires_at! <= now) {
        await recordExpiry(this.db, row, now);
        count++;
      }
    }
    if (count > 0) this.#cache.clear();
    return count;
  }

  /** One retention sweep (retention.ts has the rules); cached rows of deleted tokens go too. */
  async sweep(): Promise<{ tokens: number; rateEvents: number }> {
    const result = await sweep(this.db, this.clock.now());
    if (result.tokens > 0) this.#cache.clear();
    return result;
  }

  /** What another instance announced: this instance's cache forgets, its subscribers hear. */
  applyRemote(tokenHash: string, change: SessionChange): Promise<void> {
    return this.#emit(tokenHash, change, "remote");
  }

  #changed(tokenHash: string, change: SessionChange): Promise<void> {
    return this.#emit(tokenHash, change, "local");
  }

  async #emit(tokenHash: string, change: SessionChange, origin: ChangeOrigin): Promise<void> {
    this.#cache.forget(tokenHash);
    await Promise.all(this.#listeners.map((listener) => listener(tokenHash, change, origin)));
  }
}
