/**
 * Short-lived TURN credentials in coturn's `use-auth-secret` scheme (the TURN REST API draft):
 * the username is `<expiry, unix seconds>:<opaque id>` and the password is
 * base64(HMAC-SHA1(secret, username)). The TURN server recomputes the password from the username
 * with the same secret and refuses a username whose expiry has passed, so nothing is shared
 * between the two servers but the secret, and a leaked credential dies with its session.
 */
import type { IceServer } from "./config_ice.ts";
import { randomSecret } from "./secrets.ts";
import { MINUTE_MS } from "../contract/time.ts";

/** What CHAT_TURN_URLS and CHAT_TURN_SECRET configure. */
export interface TurnConfig {
  urls: string[];
  secret: string;
}

/**
 * How long credentials outlive the deadline they were issued for: clocks of the two servers may
 * differ a little, and a host who waits for the guest gets fresh ones when the session starts.
 */
export const TURN_MARGIN_MS = 10 * MINUTE_MS;

const encoder = new TextEncoder();

/** base64(HMAC-SHA1(secret, username)), the password coturn expects for `username`. */
export async function turnPassword(secret: string, username: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(username)));
  let binary = "";
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * One seat's TURN server entry, valid until `expiresAt` (ms). The id after the colon is random
 * for each issue: never the seat credential, and nothing a TURN log could tie to a token.
 */
export async function turnIceServer(turn: TurnConfig, expiresAt: number): Promise<IceServer> {
  const username = `${Math.floor(expiresAt / 1000)}:${randomSecret(12)}`;
  return { urls: turn.urls, username, credential: await turnPassword(turn.secret, username) };
}
