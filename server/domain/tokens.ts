/** Minting tokens: the validity periods, limits and the per-client hourly allowance. */
import { z } from "zod";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/database.ts";
import { countEventsSince, insertEvent } from "../db/rate_events_repo.ts";
import { lockRateKey } from "../db/locks.ts";
import { insertToken } from "../db/tokens_repo.ts";
import { AppError } from "../errors.ts";
import { hashSecret, randomSecret } from "../secrets.ts";
import { decide } from "./rate_limit.ts";
import { hashToken } from "./sessions.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
export const VALIDITY_PERIODS = {
  "1_day": DAY_MS,
  "1_week": 7 * DAY_MS,
  "1_month": 30 * DAY_MS,
  "1_year": 365 * DAY_MS,
} as const;
export type ValidityPeriod = keyof typeof VALIDITY_PERIODS;

export const MIN_SESSION_MINUTES = 1;
export const MAX_SESSION_MINUTES = 1440;
export const MIN_CHAR_LIMIT = 200;
export const MAX_CHAR_LIMIT = 16000;
export const DEFAULT_CHAR_LIMIT = 2000;
const HOUR_MS = 60 * 60 * 1000;
const MINT_BUCKET = "mint";

export const mintRequestSchema = z.strictObject({
  validity_period: z.enum(Object.keys(VALIDITY_PERIODS) as [ValidityPeriod, ...ValidityPeriod[]], {
    error: 'validity_period must be one of "1_day", "1_week", "1_month", "1_year".',
  }),
  session_ttl_minutes: z.int({ error: "session_ttl_minutes must be a whole number of minutes." })
    .min(MIN_SESSION_MINUTES, `session_ttl_minutes must be at least ${MIN_SESSION_MINUTES}.`)
    .max(MAX_SESSION_MINUTES, `session_ttl_minutes must be at most ${MAX_SESSION_MINUTES}.`),
  message_char_limit: z.int({ error: "message_char_limit must be a whole number." })
    .min(MIN_CHAR_LIMIT, `message_char_limit must be at least ${MIN_CHAR_LIMIT}.`)
    .max(MAX_CHAR_LIMIT, `message_char_limit must be at most ${MAX_CHAR_LIMIT}.`)
    .default(DEFAULT_CHAR_LIMIT),
  client_identity: z.string().max(128, "client_identity must be at most 128 characters.")
    .optional(),
});
export type MintRequest = z.infer<typeof mintRequestSchema>;

export interface MintedToken {
  token: string;
  validity_expires_at: string;
  session_ttl_seconds: number;
  message_char_limit: number;
  created_at: string;
}

export interface MintPolicy {
  limitPerHour: number;
}

/**
 * Mints a token for `clientAddress`. The allowance is counted per address only: a fresh
 * client_identity opens no fresh allowance (the original let it, which made the limit moot).
 */
export function mintToken(
  db: Db,
  clock: Clock,
  policy: MintPolicy,
  request: MintRequest,
  clientAddress: string,
): Promise<MintedToken> {
  const clientHash = hashSecret("client", clientAddress);
  return db.transaction().execute(async (trx) => {
    await lockRateKey(trx, MINT_BUCKET, clientHash);
    const now = clock.now();
    const recent = await countEventsSince(trx, MINT_BUCKET, clientHash, now - HOUR_MS);
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
    const token = randomSecret();
    const validityExpiresAt = now + VALIDITY_PERIODS[request.validity_period];
    await insertToken(trx, {
      token_hash: hashToken(token),
      issuer_hash: clientHash,
      created_at: now,
      validity_expires_at: validityExpiresAt,
      session_ttl_seconds: request.session_ttl_minutes * 60,
      message_char_limit: request.message_char_limit,
      session_started_at: null,
      session_expires_at: null,
      ended_at: null,
      end_reason: null,
    });
    await insertEvent(trx, MINT_BUCKET, clientHash, now);
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
