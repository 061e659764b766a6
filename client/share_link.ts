/** Share links: `/session/{token}#{linkSecret}`, and reading a token back from what people paste. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export function sessionPath(token: string): string {
  return `/session/${encodeURIComponent(token)}`;
}

/** The full link; the secret rides in the fragment, which browsers never send to the server. */
export function shareLink(origin: string, token: string, secret: string | null): string {
  return `${origin}${sessionPath(token)}${secret ? `#${secret}` : ""}`;
}

/**
 * A bare token or a whole pasted link -> the token and the fragment (secret) it carried, or null
 * when the text is neither.
 */
export function parseJoinInput(text: string): { token: string; fragment: string } | null {
  const input = text.trim();
  if (TOKEN.test(input)) return { token: input, fragment: "" };
  const match = /\/session\/([A-Za-z0-9_-]+)\/?(?:[?][^#]*)?(?:#(.*))?$/.exec(input);
  if (!match || !TOKEN.test(match[1])) return null;
  return { token: match[1], fragment: match[2] ?? "" };
}
