/**
 * The Content-Security-Policy of pages. Scripts run only from this origin's /build files and from
 * inline scripts carrying the response's nonce; a page without islands allows no script at all.
 * No inline styles either: every style is in the stylesheet.
 */

/** A fresh nonce per response (128 random bits, base64). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string | null): string {
  return [
    "default-src 'none'",
    nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'none'",
    "style-src 'self'",
    // blob: shows a received picture, decoded in the page from bytes that never left it.
    "img-src 'self' data: blob:",
    // 'self' covers the same-origin WebSocket (ws: and wss:) in CSP level 3.
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
