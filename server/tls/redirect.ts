/**
 * `CHAT_HTTP_REDIRECT_PORT`: plain HTTP that sends every request to the HTTPS address (same host
 * name, the HTTPS port), except the authority's certificate and its install page, which it
 * serves: see authority_routes.ts.
 */
import { type Authority, authorityResponse } from "./authority_routes.ts";

function redirectHandler(httpsPort: number, authority: Authority | null) {
  return (request: Request): Response => {
    const served = authority ? authorityResponse(request, authority) : null;
    if (served) return served;
    const url = new URL(request.url);
    url.protocol = "https:";
    url.port = String(httpsPort);
    return new Response(null, {
      status: 308,
      headers: { location: url.href, "cache-control": "no-store" },
    });
  };
}

export function serveRedirect(
  hostname: string,
  port: number,
  httpsPort: number,
  authority: Authority | null,
  signal: AbortSignal,
): Deno.HttpServer {
  return Deno.serve(
    { hostname, port, signal, onListen: () => {} },
    redirectHandler(httpsPort, authority),
  );
}
