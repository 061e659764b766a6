/** Minting tokens: the validity periods, limits and the per-client hourly allowance. */
import { z } from "zod";
import type { Clock } from "../clock.ts";
import type { Database, Db } from "../db/database.ts";
import type { Transaction } from "kysely";
import { countEventsSince, insertEvent } from "../db/rate_events_repo.ts";
import { bumpWindow, windowCounts } from "../db/rate_keys_repo.ts";
import { lockRateKey } from "../db/locks.ts";
import { insertToken } from "../db/tokens_repo.ts";
import { AppError } from "../errors.ts";
import { randomSecret } from "../secrets.ts";
import { addressKey } from "./address_key.ts";
import { decide } from "./rate_limit.ts";
import type { RateKeyRing } from "./rate_keys.ts";
import { hashToken } from "./sessions.ts";

import type { MintedToken, MintRequest as MintRequestContract } from "../../contract/api.ts";
import {
  CHAR_LIMIT,
  MAX_ID_CHARS,
  SESSION_MINUTES,
  VALIDITY_PERIODS,
  type ValidityPeriod,
} from "../../contract/limits.ts";
import { HOUR_MS, MINUTE_MS } from "../../contract/time.ts";

const MINT_BUCKET = "mint";
type Executor = Db | Transaction<Database>;

export const mintRequestSchema = z.strictObject({
  validity_period: z.enum(Object.keys(VALIDITY_PERIODS) as [ValidityPeriod, ...ValidityPeriod[]], {
    error: 'validity_period must be one of "1_day", "1_week", "1_month", "1_year".',
  }),
  session_ttl_minutes: z.int({ error: "session_ttl_minutes must be a whole number of minutes." })
    .min(SESSION_MINUTES.min, `session_ttl_minutes must be at least ${SESSION_MINUTES.min}.`)
    .max(SESSION_MINUTES.max, `session_ttl_minutes must be at most ${SESSION_MINUTES.max}.`),
  message_char_limit: z.int({ error: "message_char_limit must be a whole number." })
    .min(CHAR_LIMIT.min, `message_char_limit must be at least ${CHAR_LIMIT.min}.`)
    .max(CHAR_LIMIT.max, `message_char_limit must be at most ${CHAR_LIMIT.max}.`)
    .default(CHAR_LIMIT.default),
  client_identity: z.string()
    .max(MAX_ID_CHARS, `client_identity must be at most ${MAX_ID_CHARS} characters.`)
    .optional(),
}) satisfies z.ZodType<MintRequestContract>;
export type MintRequest = z.infer<typeof mintRequestSchema>;

export interface MintPolicy {
  limitPerHour: number;
  /** Mints per sliding minute across all addresses. */
  globalPerMinute: number;
  /** The keys that client addresses are counted under. */
  keys: RateKeyRing;
}

/**
 * The global count of mints over the last minute, estimated from two fixed one-minute windows
 * (the previous one weighted by how much of it still lies in the last minute). Two rows read and
 * one written per mint, whatever the load; an exact sliding count would scan every recent mint.
 */
async function globalMintsLastMinute(db: Executor, now: number): Promise<number> {
  const start = now - (now % MINUTE_MS);
  const counts = await windowCounts(db, MINT_BUCKET, [start, start - MINUTE_MS]);
  const previousWeight = 1 - (now - start) / MINUTE_MS;
  return Math.floor((counts.get(start - MINUTE_MS) ?? 0) * previousWeight) +
    (counts.get(start) ?? 0);
}

/**
 * Mints a token for `clientAddress`. The allowance is counted per address (IPv6 per /64) only: a
 * fresh client_identity opens no fresh allowance (the original let it, which made the limit
 * moot). All addresses together may mint `globalPerMinute` in any minute.
 */
export async function mintToken(
  db: Db,
  clock: Clock,
  policy: MintPolicy,
  request: MintRequest,
  clientAddress: string,
): Promise<MintedToken> {
  const clientHashes = await policy.keys.hashes("client", addressKey(clientAddress));
  return db.transaction().execute(async (trx) => {
    await lockRateKey(trx, MINT_BUCKET, clientHashes[0]);
    const now = clock.now();
    const recent = await countEventsSince(trx, MINT_BUCKET, clientHashes, now - HOUR_MS);
    const decision = decide(recent.count, recent.oldest, policy.limitPerHour, HOUR_MS, now);
    if (!decision.allowed) {
      throw new AppError(
        429,
        `Token limit reached: ${policy.limitPerHour} per hour. Try again in ${
          formatWait(decision.retryAfterSeconds)
        }.`,
        { "Retry-After": String(decision.retryAfterSeconds) },
      );
    }
    if (await globalMintsLastMinute(trx, now) >= policy.globalPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((MINUTE_MS - (now % MINUTE_MS)) / 1000));
      throw new AppError(
        429,
        `This server is minting many tokens right now (${policy.globalPerMinute} a minute in all). Try again in ${
          formatWait(retryAfter)
        }.`,
        { "Retry-After": String(retryAfter) },
      );
    }
    const token = randomSecret();
    const validityExpiresAt = now + VALIDITY_PERIODS[request.validity_period];
    await insertToken(trx, {
      token_hash: hashToken(token),
      validity_expires_at: validityExpiresAt,
      session_ttl_seconds: request.session_ttl_minutes * 60,
      message_char_limit: request.message_char_limit,
    });
    await insertEvent(trx, MINT_BUCKET, clientHashes[0], now);
    await bumpWindow(trx, MINT_BUCKET, now - (now % MINUTE_MS));
    return {
      token,
      validity_expires_at: new Date(validityExpiresAt).toISOString(),
      session_ttl_seconds: request.session_ttl_minutes * 60,
      message_char_limit: request.message_char_limit,
      created_at: new Date(now).toISOString(),
    };
  });
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
