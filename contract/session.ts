/** The two seats of a session, the states it passes through and why it ends. */

export const ROLES = ["host", "guest"] as const;
/** The first device to join is the host; the second, the guest, starts the session. */
export type Role = typeof ROLES[number];

/**
 *   issued --guest joins--> active --deadline or "end"--> closed
 *   issued --validity passes first--> expired
 */
export const SESSION_STATUSES = ["issued", "active", "closed", "expired"] as const;
export type SessionStatus = typeof SESSION_STATUSES[number];

/** `expired`: the deadline (or the token's validity) passed; `ended`: a seat holder ended it. */
export const END_REASONS = ["expired", "ended"] as const;
export type EndReason = typeof END_REASONS[number];
