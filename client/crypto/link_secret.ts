/**
 * The link secret: 32 random bytes made in the minting browser and carried only in the URL
 * fragment (`/session/{token}#{secret}`), so the server never sees it.
 *
 * Minimal version written by the pages work; the crypto work owns this file.
 */
const SECRET_BYTES = 32;

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A fresh link secret, base64url without padding (43 characters). */
export function newLinkSecret(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The secret bytes of a URL fragment (with or without its `#`), or null when it holds none. */
export function parseLinkSecret(fragment: string): Uint8Array | null {
  const text = fragment.startsWith("#") ? fragment.slice(1) : fragment;
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/") + "=");
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return bytes.length === SECRET_BYTES ? bytes : null;
}
