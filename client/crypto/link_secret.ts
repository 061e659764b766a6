/**
 * The link secret: 256 random bits minted in the host's browser and carried only in the share
 * link's fragment (`/session/{token}#<secret>`). Browsers never send the fragment to the server,
 * so the server relays signalling it cannot read or forge.
 */
import { fromBase64Url, toBase64Url } from "./encoding.ts";
import { randomBytes } from "./bytes.ts";

const LINK_SECRET_BYTES = 32;

/** A fresh secret as 43 base64url characters, ready to append after `#`. */
export function newLinkSecret(): string {
  return toBase64Url(randomBytes(LINK_SECRET_BYTES));
}

/** Reads a secret from a fragment ("#abc" or "abc"); null when absent or not exactly 32 bytes. */
export function parseLinkSecret(fragment: string): Uint8Array | null {
  const text = fragment.startsWith("#") ? fragment.slice(1) : fragment;
  if (text.length !== 43) return null;
  try {
    return fromBase64Url(text);
  } catch {
    return null;
  }
}
