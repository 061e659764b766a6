/**
 * The no-JavaScript mint answers with a redirect (POST, then GET), so a reload never mints again.
 * The token reaches the page after the redirect in a cookie that lives two minutes, is sent only
 * to this site's pages (HttpOnly, SameSite=Strict, Path=/), and is cleared by the page that reads
 * it: never in a URL, where it would land in proxy logs and the browser's history.
 */

const NAME = "chatorbit_minted";
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

function attributes(request: Request): string {
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Strict${secure}`;
}

/** The Set-Cookie value that hands `token` to the next page. */
export function mintedCookie(request: Request, token: string): string {
  return `${NAME}=${token}; Max-Age=120; ${attributes(request)}`;
}

/** The token a redirect handed over, and the Set-Cookie that clears it; null when none. */
export function takeMinted(request: Request): { token: string; clear: string } | null {
  const header = request.headers.get("cookie") ?? "";
  const value = header.split(/;\s*/).find((part) => part.startsWith(`${NAME}=`))?.slice(
    NAME.length + 1,
  );
  if (!value || !TOKEN.test(value)) return null;
  return { token: value, clear: `${NAME}=; Max-Age=0; ${attributes(request)}` };
}
