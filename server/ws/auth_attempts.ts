/**
 * Failed socket authentications (unknown token, wrong credential) spend the address's join
 * allowance, so the socket is no faster a way to test tokens than joining. Successes spend nothing.
 */
import { attemptsExhausted, countFailedAttempt } from "../domain/failed_attempts.ts";
import type { MemoryRateLimiter } from "../domain/rate_limit.ts";

/** The allowance of the address a socket came from, as the hub asks about it. */
export interface AuthAttempts {
  /** Past the allowance: every attempt is refused, right or wrong, so none is an oracle. */
  blocked(): boolean;
  /** Counts one failure; true when the address is now past its allowance. */
  failed(): boolean;
}

export const UNLIMITED_ATTEMPTS: AuthAttempts = { blocked: () => false, failed: () => false };

export function authAttempts(limiter: MemoryRateLimiter, address: string): AuthAttempts {
  return {
    blocked: () => attemptsExhausted(limiter, address) !== null,
    failed: () => !countFailedAttempt(limiter, address).allowed,
  };
}
