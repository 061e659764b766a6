/** SQL for the tokens and participants tables. No rules here: see server/domain/. */
import type { Insertable, Selectable, Transaction } from "kysely";
import type { Database, Db, ParticipantsTable, TokensTable } from "./database.ts";
import { isPostgres } from "./locks.ts";
import { reusedQuery } from "./reused_query.ts";

export type TokenRow = Selectable<TokensTable>;
export type ParticipantRow = Selectable<ParticipantsTable>;
type Executor = Db | Transaction<Database>;

/** Reused: every mint runs it (every column given, so the statement's shape never changes). */
const insertTokenRow = reusedQuery((
  db,
  tokenHash: string,
  validityExpiresAt: number,
  ttlSeconds: number,
  charLimit: number,
) =>
  db.insertInto("tokens").values({
    token_hash: tokenHash,
    validity_expires_at: validityExpiresAt,
    session_ttl_seconds: ttlSeconds,
    message_char_limit: charLimit,
    session_started_at: null,
    session_expires_at: null,
    ended_at: null,
    end_reason: null,
  })
);

/** A new token, not yet started. */
export async function insertToken(
  db: Executor,
  row: Pick<
    Insertable<TokensTable>,
    "token_hash" | "validity_expires_at" | "session_ttl_seconds" | "message_char_limit"
  >,
): Promise<void> {
  await insertTokenRow(
    db,
    row.token_hash,
    row.validity_expires_at,
    row.session_ttl_seconds,
    row.message_char_limit,
  );
}

export function findTokenByHash(db: Executor, tokenHash: string): Promise<TokenRow | undefined> {
  return db.selectFrom("tokens").selectAll().where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/**
 * The token row, locked until the transaction ends where the dialect needs it (PostgreSQL), so two
 * joins of one session on two instances take its seats one after the other.
 */
export function findTokenByHashForUpdate(
  trx: Transaction<Database>,
  tokenHash: string,
): Promise<TokenRow | undefined> {
  const query = trx.selectFrom("tokens").selectAll().where("token_hash", "=", tokenHash);
  return (isPostgres(trx) ? query.forUpdate() : query).executeTakeFirst();
}

export async function activateToken(
  db: Executor,
  tokenId: number,
  startedAt: number,
  expiresAt: number,
): Promise<void> {
  await db.updateTable("tokens")
    .set({ session_started_at: startedAt, session_expires_at: expiresAt })
    .where("id", "=", tokenId).where("session_started_at", "is", null)
    .execute();
}

/** Records the end of a session once; a later call keeps the first end time and reason. */
export async function markEnded(
  db: Executor,
  tokenId: number,
  endedAt: number,
  reason: string,
): Promise<void> {
  await db.updateTable("tokens").set({ ended_at: endedAt, end_reason: reason })
    .where("id", "=", tokenId).where("ended_at", "is", null).execute();
}

export function listParticipants(db: Executor, tokenId: number): Promise<ParticipantRow[]> {
  return db.selectFrom("participants").selectAll().where("token_id", "=", tokenId)
    .orderBy("id").execute();
}

/** Gives a seat a new credential (the old one stops working). */
export async function setSeatCredential(
  db: Executor,
  participantId: number,
  credentialHash: string,
): Promise<void> {
  await db.updateTable("participants").set({ credential_hash: credentialHash })
    .where("id", "=", participantId).execute();
}

export async function insertParticipant(
  db: Executor,
  row: Insertable<ParticipantsTable>,
): Promise<void> {
  await db.insertInto("participants").values(row).execute();
}

/** Active sessions whose deadline has not been recorded as an end yet (for expiry timers). */
export function listOpenActiveSessions(db: Executor): Promise<TokenRow[]> {
  return db.selectFrom("tokens").selectAll()
    .where("session_expires_at", "is not", null).where("ended_at", "is", null).execute();
}

/**
 * Deletes tokens (and, by cascade, their seats) of sessions that ended before `endedBefore`, and
 * never-activated tokens whose validity passed before it. Returns how many tokens went.
 */
export async function deleteFinishedTokens(db: Executor, endedBefore: number): Promise<number> {
  const result = await db.deleteFrom("tokens").where((eb) =>
    eb.or([
      eb("ended_at", "<", endedBefore),
      eb("session_expires_at", "<", endedBefore),
      eb.and([eb("session_started_at", "is", null), eb("validity_expires_at", "<", endedBefore)]),
    ])
  ).executeTakeFirst();
  return Number(result.numDeletedRows);
}
