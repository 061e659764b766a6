/**
 * The session state machine and the seat rules.
 *
 *   issued --guest joins--> active --deadline or "end"--> closed
 *   issued --validity passes first--> expired
 *
 * State is derived from the stored times and the clock on every read, so a reader always sees what
 * is true now, whatever was last written (no background job has to run for expiry to take effect).
 */
import type { Clock } from "../clock.ts";
import type { Db } from "../db/database.ts";
import {
  activateToken,
  findTokenByHashForUpdate,
  insertParticipant,
  listParticipants,
  markEnded,
  type ParticipantRow,
  setSeatCredential,
  type TokenRow,
} from "../db/tokens_repo.ts";
import { AppError, participantNotFound, tokenNotFound } from "../errors.ts";
import { hashSecret, randomSecret } from "../secrets.ts";

import {
  type JoinedSeat,
  type JoinRequest,
  SEATS_TAKEN,
  type SessionView,
} from "../../contract/api.ts";
import type { EndReason, Role, SessionStatus } from "../../contract/session.ts";

export type { EndReason, Role, SessionStatus, SessionView };

const TOKEN_HASH_PURPOSE = "token";
const SEAT_HASH_PURPOSE = "seat";
const IDENTITY_HASH_PURPOSE = "identity";

export function hashToken(token: string): string {
  return hashSecret(TOKEN_HASH_PURPOSE, token);
}

export function hashSeatCredential(participantId: string): string {
  return hashSecret(SEAT_HASH_PURPOSE, participantId);
}

/** The state that is true at `now`. */
export function sessionStatus(token: TokenRow, now: number): SessionStatus {
  if (token.ended_at !== null) return "closed";
  if (token.session_expires_at !== null) {
    return now >= token.session_expires_at ? "closed" : "active";
  }
  return now >= token.validity_expires_at ? "expired" : "issued";
}

/** Why a session is over, or null while it is not. */
function endReason(token: TokenRow, now: number): EndReason | null {
  if (token.ended_at !== null) return token.end_reason === "ended" ? "ended" : "expired";
  const status = sessionStatus(token, now);
  return status === "closed" || status === "expired" ? "expired" : null;
}

/**
 * A session's few instants as ISO strings, remembered: formatting them was a tenth of a status
 * read's CPU. Bounded (cleared when full); the ever-changing server time is not put in it.
 */
const isoMemo = new Map<number, string>();
const ISO_MEMO_MAX = 10_000;
function iso(ms: number | null): string | null {
  if (ms === null) return null;
  let text = isoMemo.get(ms);
  if (text === undefined) {
    if (isoMemo.size >= ISO_MEMO_MAX) isoMemo.clear();
    text = new Date(ms).toISOString();
    isoMemo.set(ms, text);
  }
  return text;
}

/**
 * The status of a session: no seat credential or identity ever appears in it. `connected` is
 * the set of seats online, given only for a seat holder; null leaves presence out.
 */
export function sessionView(
  token: string,
  row: TokenRow,
  participants: ParticipantRow[],
  connected: ReadonlySet<Role> | null,
  now: number,
): SessionView {
  const status = sessionStatus(row, now);
  let remaining: number | null = null;
  if (status === "active") {
    remaining = Math.max(0, Math.ceil((row.session_expires_at! - now) / 1000));
  } else if (status === "closed") remaining = 0;
  return {
    token,
    status,
    validity_expires_at: iso(row.validity_expires_at)!,
    session_started_at: iso(row.session_started_at),
    session_expires_at: iso(row.session_expires_at),
    session_ttl_seconds: row.session_ttl_seconds,
    message_char_limit: row.message_char_limit,
    participants: participants.map((p) =>
      connected === null
        ? { role: p.role, joined_at: iso(p.joined_at)! }
        : { role: p.role, joined_at: iso(p.joined_at)!, connected: connected.has(p.role) }
    ),
    remaining_seconds: remaining,
    server_time: new Date(now).toISOString(),
    end_reason: endReason(row, now),
  };
}

function refuseIfOver(row: TokenRow, now: number): void {
  const status = sessionStatus(row, now);
  if (status === "closed") throw new AppError(410, "Session already closed.");
  if (status === "expired") throw new AppError(410, "Token expired.");
}

export type JoinInput = JoinRequest;

export interface JoinResult extends JoinedSeat {
  /** True when this join activated the session (the sessions service emits "activated"). */
  activated: boolean;
}

function joinResult(
  token: string,
  row: TokenRow,
  participantId: string,
  role: Role,
  now: number,
  activated: boolean,
): JoinResult {
  return {
    token,
    participant_id: participantId,
    role,
    session_active: sessionStatus(row, now) === "active",
    session_started_at: iso(row.session_started_at),
    session_expires_at: iso(row.session_expires_at),
    message_char_limit: row.message_char_limit,
    activated,
  };
}

/**
 * Seats a device. A known `participant_id` or a `client_identity` that already holds a seat gets
 * that seat back (the credential is re-issued only in the first case: a device that lost its
 * credential but kept its identity receives a fresh one, and the old one stops working). The first
 * new device is the host; the second is the guest and activates the session.
 */
export function joinSession(db: Db, clock: Clock, input: JoinInput): Promise<JoinResult> {
  return db.transaction().execute(async (trx) => {
    const row = await findTokenByHashForUpdate(trx, hashToken(input.token));
    if (!row) throw tokenNotFound();
    const now = clock.now();
    refuseIfOver(row, now);
    const seats = await listParticipants(trx, row.id);

    if (input.participant_id !== undefined) {
      const hash = hashSeatCredential(input.participant_id);
      const seat = seats.find((p) => p.credential_hash === hash);
      if (!seat) throw participantNotFound();
      return joinResult(input.token, row, input.participant_id, seat.role, now, false);
    }

    const identityHash = input.client_identity
      ? hashSecret(IDENTITY_HASH_PURPOSE, `${row.id}:${input.client_identity}`)
      : null;
    const owned = identityHash ? seats.find((p) => p.identity_hash === identityHash) : undefined;
    if (owned) {
      // The stored hash cannot be turned back into the credential: issue a new one for this seat.
      const participantId = randomSecret();
      await setSeatCredential(trx, owned.id, hashSeatCredential(participantId));
      return joinResult(input.token, row, participantId, owned.role, now, false);
    }

    if (seats.length >= 2) throw new AppError(409, SEATS_TAKEN);
    const role: Role = seats.length === 0 ? "host" : "guest";
    const participantId = randomSecret();
    await insertParticipant(trx, {
      token_id: row.id,
      role,
      credential_hash: hashSeatCredential(participantId),
      identity_hash: identityHash,
      joined_at: now,
    });
    let activated = false;
    let current = row;
    if (role === "guest") {
      const expiresAt = now + row.session_ttl_seconds * 1000;
      await activateToken(trx, row.id, now, expiresAt);
      current = { ...row, session_started_at: now, session_expires_at: expiresAt };
      activated = true;
    }
    return joinResult(input.token, current, participantId, role, now, activated);
  });
}

/** The refusal of a missing or wrong seat credential. */
export function wrongCredential(): AppError {
  return new AppError(
    401,
    "A seat credential is required: send Authorization: Bearer <participant_id>.",
    { "WWW-Authenticate": "Bearer" },
  );
}

/**
 * Ends an open session (the caller has checked the seat credential). Already-over sessions are
 * refused with 410.
 */
export async function endSession(db: Db, row: TokenRow, now: number): Promise<void> {
  refuseIfOver(row, now);
  await markEnded(db, row.id, now, "ended");
}

/** Records that an active session ran out, once its deadline has passed. */
export async function recordExpiry(db: Db, row: TokenRow, now: number): Promise<void> {
  if (row.session_expires_at !== null && now >= row.session_expires_at) {
    await markEnded(db, row.id, row.session_expires_at, "expired");
  }
}
