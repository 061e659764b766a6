/**
 * The keys under which mint counts store client addresses: `HMAC-SHA-256(key, purpose \0
 * addressKey)`. An unkeyed hash of an address is reversed by trying all of IPv4 in about an hour;
 * under a secret key it cannot be, nor linked across days: the key rotates every
 * {@link KEY_ROTATION_MS}, and the previous key is kept only {@link KEY_OVERLAP_MS} into the new
 * period (the longest window counted under it) and then deleted.
 *
 * The keys live in the database so that instances sharing it share counts; each instance caches
 * the current pair and reloads when the period turns.
 */
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/database.ts";
import { deleteKeysBefore, insertKeyIfMissing, listKeys } from "../db/rate_keys_repo.ts";

const KEY_ROTATION_MS = 24 * 60 * 60 * 1000;
/** The longest window whose events are stored (the hourly mint allowance). */
const KEY_OVERLAP_MS = 60 * 60 * 1000;

function newSecret(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(32)),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

const keyOf = (hex: string) =>
  createSecretKey(new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16))));

interface KeyPair {
  period: number;
  current: KeyObject;
  /** Null once the overlap is over. */
  previous: KeyObject | null;
}

/** Deletes every key no count can need any more at `now`. */
export async function deleteExpiredRateKeys(db: Db, now: number): Promise<void> {
  const period = Math.floor(now / KEY_ROTATION_MS);
  const overlapOver = now - period * KEY_ROTATION_MS >= KEY_OVERLAP_MS;
  await deleteKeysBefore(db, overlapOver ? period : period - 1);
}

export class RateKeyRing {
  #pair: KeyPair | null = null;
  #loading: Promise<KeyPair> | null = null;

  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /**
   * The hashes `value` may be stored under now: the current key's first (store under it), then
   * the previous key's while its overlap lasts (count under both).
   */
  async hashes(purpose: string, value: string): Promise<string[]> {
    const pair = await this.#keys(this.clock.now());
    const hash = (key: KeyObject) =>
      createHmac("sha256", key).update(purpose).update("\0").update(value).digest("hex");
    return pair.previous ? [hash(pair.current), hash(pair.previous)] : [hash(pair.current)];
  }

  async #keys(now: number): Promise<KeyPair> {
    const period = Math.floor(now / KEY_ROTATION_MS);
    let pair = this.#pair;
    if (pair?.period !== period) {
      this.#loading ??= this.#load(period, now).finally(() => this.#loading = null);
      pair = this.#pair = await this.#loading;
    }
    if (pair.previous && now - period * KEY_ROTATION_MS >= KEY_OVERLAP_MS) {
      pair.previous = null;
      await deleteExpiredRateKeys(this.db, now);
    }
    return pair;
  }

  async #load(period: number, now: number): Promise<KeyPair> {
    await insertKeyIfMissing(this.db, period, newSecret(), now);
    await deleteExpiredRateKeys(this.db, now);
    const rows = await listKeys(this.db, [period, period - 1]);
    const secret = (p: number) => rows.find((row) => Number(row.period) === p)?.secret;
    const previous = secret(period - 1);
    return { period, current: keyOf(secret(period)!), previous: previous ? keyOf(previous) : null };
  }
}
