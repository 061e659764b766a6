/**
 * `/ca.crt` (the local authority's certificate) and `/ca` (how to install it on a phone), in front
 * of the app. They answer on the plain-HTTP redirect port too: a phone that does not trust the
 * authority yet has to fetch it somewhere it can open without a warning.
 */
const AUTHORITY_PATH = "/ca.crt";
const INSTALL_PATH = "/ca";

const HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
};

function installPage(fingerprint: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trust this ChatOrbit server</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
code{word-break:break-all}</style></head><body>
<h1>Trust this ChatOrbit server</h1>
<p>This server made its own certificate authority. Install it once on each device, and the
https address opens without warnings.</p>
<p><a href="${AUTHORITY_PATH}" download="chatorbit-ca.crt">Download the certificate</a>, then check
that its SHA-256 fingerprint is the one the server printed at start-up:</p>
<p><code>${fingerprint}</code></p>
<h2>iPhone and iPad</h2>
<ol><li>Open the download link in Safari and allow the profile download.</li>
<li>Settings → General → VPN &amp; Device Management: install the profile.</li>
<li>Settings → General → About → Certificate Trust Settings: turn on full trust for it.</li></ol>
<h2>Android</h2>
<ol><li>Download the certificate.</li>
<li>Settings → Security → More security settings → Install from device storage → CA certificate,
and pick the file.</li></ol>
<h2>Computers</h2>
<p>Import it as a trusted root authority (macOS Keychain Access: System, Always Trust; Windows:
Trusted Root Certification Authorities; Firefox: Settings → Certificates → Authorities).</p>
<p>Only install an authority from a server you run yourself: whoever holds its key could
impersonate any website to this device. Its key stays on the server, in the data folder.</p>
</body></html>
`;
}

export interface Authority {
  pem: string;
  fingerprint: string;
}

/** The response for `/ca.crt` or `/ca`, or null for any other path. */
export function authorityResponse(request: Request, authority: Authority): Response | null {
  const { pathname } = new URL(request.url);
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (pathname === AUTHORITY_PATH) {
    return new Response(authority.pem, {
      headers: {
        ...HEADERS,
        "content-type": "application/x-x509-ca-cert",
        "content-disposition": 'attachment; filename="chatorbit-ca.crt"',
        "cache-control": "no-cache",
      },
    });
  }
  if (pathname === INSTALL_PATH) {
    return new Response(installPage(authority.fingerprint), {
      headers: { ...HEADERS, "content-type": "text/html; charset=utf-8" },
    });
  }
  return null;
}

/** `handler` with the two authority routes in front of it. */
export function withAuthorityRoutes<Info>(
  handler: (request: Request, info: Info) => Response | Promise<Response>,
  authority: Authority | null,
) {
  if (!authority) return handler;
  return (request: Request, info: Info) =>
    authorityResponse(request, authority) ?? handler(request, info);
}
