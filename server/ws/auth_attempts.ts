/**
 * Failed socket authentications (unknown token, wrong credential) spend the address's join
 * allowance, so the socket is no faster a way to test tokens than joining. Successes spend nothing.
 */
import { attemptsExhausted, countFailedAttempt } from "../domain/failed_attempts.ts";
import type { RateLimiter } from "../domain/rate_limit.ts";

/** The allowance of the address a socket came from, as the hub asks about it. */
export interface AuthAttempts {
  /** Past the allowance: every attempt is refused, right or wrong, so none is an oracle. */
  blocked(): Promise<boolean>;
  /** Counts one failure; true when the address is now past its allowance. */
  failed(): Promise<boolean>;
}

const NO = Promise.resolve(false);
export const UNLIMITED_ATTEMPTS: AuthAttempts = { blocked: () => NO, failed: () => NO };

export function authAttempts(limiter: RateLimiter, address: string): AuthAttempts {
  return {
    blocked: async () => (await attemptsExhausted(limiter, address)) !== null,
    failed: async () => !(await countFailedAttempt(limiter, address)).allowed,
  };
}
