/**
 * Which pages may open a socket: the page's own origin, or one in CHAT_CORS_ALLOWED_ORIGINS ("*"
 * for any). A request without `Origin` is not a browser page acting for someone, so it is let
 * through; what it can do is what its credential allows.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined || allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    // The page's own origin: the scheme may differ behind a TLS-terminating proxy, the host not.
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
