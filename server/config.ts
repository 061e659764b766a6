/**
 * Environment -> typed configuration, parsed once at start-up.
 *
 * Every variable is optional; a bad value throws a {@link ConfigError} whose message names the
 * variable and what it accepts, so an operator can fix it from one line of output.
 */
import { type IceServer, iceVar, turnVar, withoutStaticTurn } from "./config_ice.ts";
import type { TurnConfig } from "./turn_credentials.ts";
import { boolVar, ConfigError, type Env, intVar, parseList } from "./config_vars.ts";
import { FILE_BYTES } from "../contract/limits.ts";

export { ConfigError, parseList };
export type { IceServer, TurnConfig };

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** Filesystem path of the SQLite file, or ":memory:"; "" when the database is PostgreSQL. */
  sqlitePath: string;
  tokenRateLimitPerHour: number;
  /** Mints per sliding minute across all addresses together. */
  tokenRateLimitGlobalPerMinute: number;
  joinRateLimitPerMinute: number;
  trustProxy: boolean;
  /** Whether the connection front (server/front) owns the public listener. */
  connectionFront: boolean;
  /** TCP connections, and of them WebSockets, one address may hold open. */
  connectionsPerAddress: number;
  /** WebSockets one address may hold that have not authenticated yet. */
  pendingSocketsPerAddress: number;
  /** Resident memory (MiB) past which new sockets are refused and pending ones closed. */
  memoryGuardMb: number;
  corsAllowedOrigins: string[];
  corsAllowCredentials: boolean;
  /** The public origin for absolute links and redirects (no trailing slash), or null: relative. */
  publicUrl: string | null;
  /** The ICE servers every page is given (no TURN among them when `turn` is set). */
  iceServers: IceServer[];
  /** TURN whose credentials each seat gets on its socket after authenticating, or null. */
  turn: TurnConfig | null;
  /** HTTPS on PORT: off, the operator's PEM files, or a local authority (server/tls/). */
  tls: TlsConfig;
  /** A plain-HTTP port that redirects to HTTPS (and serves /ca.crt), or null. */
  httpRedirectPort: number | null;
  /** The largest file sent over the direct path, and through the server's relay (bytes). */
  files: FileLimits;
  /** Problems that did not stop start-up but that an operator should read. */
  warnings: string[];
}

export interface FileLimits {
  maxBytes: number;
  relayMaxBytes: number;
}

/** The file limits within contract/limits.ts's bounds; the relay's never above the direct one. */
function filesVar(env: Env): FileLimits {
  const maxBytes = intVar(env, "CHAT_FILE_MAX_BYTES", FILE_BYTES.default, 0, FILE_BYTES.max);
  const relayMaxBytes = intVar(
    env,
    "CHAT_RELAY_FILE_MAX_BYTES",
    FILE_BYTES.relayDefault,
    0,
    FILE_BYTES.relayMax,
  );
  return { maxBytes, relayMaxBytes: Math.min(relayMaxBytes, maxBytes) };
}

export type TlsConfig =
  | { kind: "off" }
  | { kind: "files"; certFile: string; keyFile: string }
  | { kind: "auto" };

function originsVar(env: Env): string[] {
  const raw = env.CHAT_CORS_ALLOWED_ORIGINS;
  // Unset: same-origin only (no CORS header for anyone).
  if (raw === undefined || raw.trim() === "") return [];
  const list = parseList(raw);
  const valid = list?.every((origin) => origin === "*" || /^https?:\/\/[^/\s]+$/.test(origin));
  if (!list || list.length === 0 || !valid) {
    throw new ConfigError(
      "CHAT_CORS_ALLOWED_ORIGINS",
      '"*", one origin such as https://chat.example.com, a comma-separated list or a JSON list',
      raw,
    );
  }
  return list;
}

/** `https://chat.example.org` or `http://host:port`, optionally with a lone "/"; null when unset. */
function publicUrlVar(env: Env): string | null {
  const raw = env.CHAT_PUBLIC_URL;
  if (raw === undefined || raw.trim() === "") return null;
  let url: URL | null = null;
  try {
    url = new URL(raw.trim());
  } catch {
    url = null;
  }
  const plain = url !== null && (url.protocol === "http:" || url.protocol === "https:") &&
    url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" &&
    url.password === "" && !/[?#]/.test(raw);
  if (!plain) {
    throw new ConfigError(
      "CHAT_PUBLIC_URL",
      "an http or https origin without a path, e.g. https://chat.example.org",
      raw,
    );
  }
  return url!.origin;
}

export function parseSqlitePath(url: string): string | null {
  if (url === "sqlite::memory:" || url === "sqlite:///:memory:") return ":memory:";
  const match = /^sqlite:(?:\/\/\/?)?(.+)$/.exec(url);
  if (!match) return null;
  // "sqlite:////abs/path" (four slashes) is the SQLAlchemy spelling of an absolute path.
  const path = url.startsWith("sqlite:////") ? "/" + url.slice("sqlite:////".length) : match[1];
  return path.trim() === "" ? null : path;
}

function tlsVar(env: Env): TlsConfig {
  const certFile = env.CHAT_TLS_CERT_FILE?.trim() ?? "";
  const keyFile = env.CHAT_TLS_KEY_FILE?.trim() ?? "";
  const mode = env.CHAT_TLS?.trim().toLowerCase() ?? "";
  if (!["", "auto", "off"].includes(mode)) {
    throw new ConfigError("CHAT_TLS", '"auto" (or "off", the default)', env.CHAT_TLS!);
  }
  if (certFile || keyFile) {
    if (mode === "auto") {
      throw new ConfigError("CHAT_TLS", "unset when CHAT_TLS_CERT_FILE/KEY_FILE are set", mode);
    }
    if (!certFile) throw new ConfigError("CHAT_TLS_CERT_FILE", "a PEM file path", certFile);
    if (!keyFile) throw new ConfigError("CHAT_TLS_KEY_FILE", "a PEM file path", keyFile);
    return { kind: "files", certFile, keyFile };
  }
  return mode === "auto" ? { kind: "auto" } : { kind: "off" };
}

/** The SQLite path of a database URL, "" for PostgreSQL, or a ConfigError (never echoing a password). */
function databaseVar(databaseUrl: string): string {
  if (/^postgres(?:ql)?:/i.test(databaseUrl)) {
    let valid = false;
    try {
      const url = new URL(databaseUrl);
      valid = url.hostname !== "" && /^\/[^/]+$/.test(url.pathname);
    } catch {
      valid = false;
    }
    if (valid) return "";
    throw new ConfigError(
      "CHAT_DATABASE_URL",
      "postgres://USER:PASSWORD@HOST:PORT/DATABASE (postgresql:// also works)",
      databaseUrl, // ConfigError masks the password
    );
  }
  const sqlitePath = parseSqlitePath(databaseUrl);
  if (sqlitePath !== null) return sqlitePath;
  throw new ConfigError(
    "CHAT_DATABASE_URL",
    "sqlite:PATH, sqlite:///PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DATABASE",
    databaseUrl,
  );
}

/** Reads the configuration from `env` (defaults to the process environment). */
export function loadConfig(env: Env = Deno.env.toObject()): Config {
  const warnings: string[] = [];
  const databaseUrl = env.CHAT_DATABASE_URL?.trim() || "sqlite:./data/chat_orbit.db";
  const sqlitePath = databaseVar(databaseUrl);
  const host = env.CHAT_HOST?.trim() || "0.0.0.0";
  if (!/^[\w.:\-\[\]]+$/.test(host)) {
    throw new ConfigError("CHAT_HOST", "an IP address or host name such as 0.0.0.0", host);
  }
  const corsAllowedOrigins = originsVar(env);
  const tls = tlsVar(env);
  const redirectRaw = env.CHAT_HTTP_REDIRECT_PORT?.trim() ?? "";
  const httpRedirectPort = redirectRaw ? intVar(env, "CHAT_HTTP_REDIRECT_PORT", 0, 0, 65535) : null;
  if (httpRedirectPort !== null && tls.kind === "off") {
    throw new ConfigError(
      "CHAT_HTTP_REDIRECT_PORT",
      "to be set only with CHAT_TLS=auto or CHAT_TLS_CERT_FILE/KEY_FILE",
      redirectRaw,
    );
  }
  const iceServers = iceVar(env, warnings);
  const turn = turnVar(env, warnings);
  return {
    port: intVar(env, "PORT", 8000, 0, 65535),
    host,
    databaseUrl,
    sqlitePath,
    tokenRateLimitPerHour: intVar(env, "CHAT_TOKEN_RATE_LIMIT_PER_HOUR", 10, 1, 1_000_000),
    tokenRateLimitGlobalPerMinute: intVar(
      env,
      "CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE",
      120,
      1,
      100_000_000,
    ),
    joinRateLimitPerMinute: intVar(env, "CHAT_JOIN_RATE_LIMIT_PER_MINUTE", 60, 1, 1_000_000),
    trustProxy: boolVar(env, "CHAT_TRUST_PROXY", false),
    connectionFront: boolVar(env, "CHAT_CONNECTION_FRONT", true),
    connectionsPerAddress: intVar(env, "CHAT_CONNECTIONS_PER_ADDRESS", 64, 2, 1_000_000),
    pendingSocketsPerAddress: intVar(env, "CHAT_PENDING_SOCKETS_PER_ADDRESS", 8, 1, 1_000_000),
    memoryGuardMb: intVar(env, "CHAT_MEMORY_GUARD_MB", 1024, 64, 1_000_000),
    corsAllowedOrigins,
    corsAllowCredentials: boolVar(env, "CHAT_CORS_ALLOW_CREDENTIALS", true) &&
      !corsAllowedOrigins.includes("*"),
    publicUrl: publicUrlVar(env),
    iceServers: turn ? withoutStaticTurn(iceServers, warnings) : iceServers,
    turn,
    tls,
    httpRedirectPort,
    files: filesVar(env),
    warnings,
  };
}
