/**
 * The contract's limits: what a token may ask for, and how big a frame may be. Literal values
 * (see time.ts): the bundler can then drop the ones a page does not use.
 */

/** How long a token stays valid before its session starts, in ms (1, 7, 30 and 365 days). */
export const VALIDITY_PERIODS = {
  "1_day": 86_400_000,
  "1_week": 604_800_000,
  "1_month": 2_592_000_000,
  "1_year": 31_536_000_000,
} as const;
export type ValidityPeriod = keyof typeof VALIDITY_PERIODS;

/** `session_ttl_minutes`: how long the session lasts once the guest joins. */
export const SESSION_MINUTES = { min: 1, max: 1440 } as const;
/** `message_char_limit`, in code points. */
export const CHAR_LIMIT = { min: 200, max: 16000, default: 2000 } as const;
/** `client_identity`, `participant_id` and `token` are at most this many characters. */
export const MAX_ID_CHARS = 128;

/**
 * File sizes in bytes (`CHAT_FILE_MAX_BYTES`, `CHAT_RELAY_FILE_MAX_BYTES`): a receiving browser
 * holds a file in memory until it is checked, so no setting may pass `max`; the relay's share stays
 * small, since its frames share the server with every chat.
 */
export const FILE_BYTES = {
  max: 1_000_000_000,
  default: 100_000_000,
  relayMax: 20_000_000,
  relayDefault: 5_000_000,
} as const;

/** A socket frame is at most 64 KiB of UTF-8. */
export const MAX_FRAME_BYTES = 65_536;
/**
 * Bytes the server may hold queued for one socket that reads slowly; past it the socket is closed
 * with 1013. A client keeps what it sends through the relay well under it.
 */
export const SOCKET_QUEUE_CAP_BYTES = 262_144;
export const MAX_SIGNAL_TYPE_CHARS = 64;
