/**
 * TLS for the built-in server: nothing, the operator's files, or the local authority
 * (`CHAT_TLS=auto`). serve.ts passes `listen` to the listener, serves the local authority's
 * certificate (authority_routes.ts) and starts what runs beside it (startTlsCompanions).
 */
import { dirname, join } from "node:path";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import { readCertFiles } from "./cert_files.ts";
import { localTls } from "./local_authority.ts";
import { machineNames } from "./machine_names.ts";
import { serveRedirect } from "./redirect.ts";
import { watchRenewal } from "./renewal_watch.ts";

export interface TlsSetup {
  /** What Deno.serve takes to speak HTTPS. */
  listen: { cert: string; key: string };
  /** The local authority's certificate (auto mode only), served at /ca.crt. */
  authority: { pem: string; fingerprint: string } | null;
  /** Lines for the start-up log. */
  notes: string[];
}

/** `tls/` in the data folder: next to the SQLite file, or ./data for an in-memory database. */
function tlsDir(config: Config): string {
  return join(config.sqlitePath === ":memory:" ? "data" : dirname(config.sqlitePath), "tls");
}

export async function loadTls(config: Config): Promise<TlsSetup | null> {
  const tls = config.tls;
  if (tls.kind === "off") return null;
  if (tls.kind === "files") {
    return { listen: await readCertFiles(tls.certFile, tls.keyFile), authority: null, notes: [] };
  }
  const dir = tlsDir(config);
  const local = await localTls(dir, machineNames());
  return {
    listen: { cert: local.cert, key: local.key },
    authority: { pem: local.authorityPem, fingerprint: local.authorityFingerprint },
    notes: [
      ...local.events,
      `Local certificate authority (in ${dir}), SHA-256 fingerprint:`,
      `  ${local.authorityFingerprint}`,
      "Install it on each phone or computer from the /ca page (see README: Use it on your network).",
    ],
  };
}

export interface TlsCompanions {
  /** The plain-HTTP redirect listener's port, when `CHAT_HTTP_REDIRECT_PORT` is set. */
  redirectPort?: number;
  /** Stops the renewal check and the redirect listener. */
  stop(): Promise<void>;
}

/**
 * What runs beside an HTTPS listener on `httpsPort`: the redirect port and, with a local
 * authority, the hourly renewal check. Nothing without TLS.
 */
export function startTlsCompanions(
  config: Config,
  tls: TlsSetup | null,
  httpsPort: number,
  clock: Clock,
): TlsCompanions {
  if (!tls) return { stop: () => Promise.resolve() };
  const abort = new AbortController();
  const redirect = config.httpRedirectPort === null ? null : serveRedirect(
    config.host,
    config.httpRedirectPort,
    httpsPort,
    tls.authority,
    abort.signal,
  );
  const stopRenewal = tls.authority
    ? watchRenewal(tlsDir(config), clock, (line) => console.log(line))
    : () => {};
  return {
    redirectPort: (redirect?.addr as Deno.NetAddr | undefined)?.port,
    stop: async () => {
      stopRenewal();
      abort.abort();
      await redirect?.finished;
    },
  };
}
