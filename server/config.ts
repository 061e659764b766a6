/**
 * Environment -> typed configuration, parsed once at start-up.
 *
 * Every variable is optional; a bad value throws a {@link ConfigError} whose message names the
 * variable and what it accepts, so an operator can fix it from one line of output.
 */
import { z } from "zod";

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

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
  iceServers: IceServer[];
  /** HTTPS on PORT: off, the operator's PEM files, or a local authority (server/tls/). */
  tls: TlsConfig;
  /** A plain-HTTP port that redirects to HTTPS (and serves /ca.crt), or null. */
  httpRedirectPort: number | null;
  /** Problems that did not stop start-up but that an operator should read. */
  warnings: string[];
}

/** A value as an error may show it: passwords in URLs and ICE credentials are masked. */
function redact(value: string): string {
  return value.replace(/\/\/[^/@\s]*@/g, "//***@")
    .replace(/("credential"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"***"');
}

export type TlsConfig =
  | { kind: "off" }
  | { kind: "files"; certFile: string; keyFile: string }
  | { kind: "auto" };

export class ConfigError extends Error {
  constructor(variable: string, accepts: string, value: string) {
    super(`${variable}=${JSON.stringify(redact(value))} is invalid: expected ${accepts}.`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const UNROUTABLE_HOSTS = new Set([
  "0.0.0.0",
  "127.0.0.1",
  "localhost",
  "::",
  "::1",
  "[::]",
  "[::1]",
]);

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!parsed.success) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return parsed.data;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(name, "true/false, 1/0, yes/no or on/off", raw);
}

/** JSON list, comma-separated list, or a single value (the original's three accepted forms). */
export function parseList(raw: string): string[] | null {
  const trimmed = raw.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed = z.array(z.string()).safeParse(JSON.parse(trimmed));
      return parsed.success ? parsed.data.map((s) => s.trim()).filter(Boolean) : null;
    } catch {
      return null;
    }
  }
  return trimmed.split(",").map((s) => s.trim()).filter(Boolean);
}

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

function iceUrlHost(url: string): string | null {
  const match = /^(?:stuns?|turns?):(\[[^\]]+\]|[^:?]+)/i.exec(url.trim());
  return match ? match[1].toLowerCase() : null;
}

/** Refuses start-up on a URL that is not STUN/TURN at all: that is a typo, not a network matter. */
function requireIceUrls(urls: string[], variable: string, raw: string): void {
  if (urls.some((url) => iceUrlHost(url) === null)) {
    throw new ConfigError(
      variable,
      "stun:, stuns:, turn: or turns: URLs with a host, e.g. stun:stun.example.com:3478",
      raw,
    );
  }
}

const iceServerSchema = z.union([
  z.string().min(1),
  z.object({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
]);

/** Drops unroutable URLs (with a warning each) and servers left with no URL. */
function filterIce(servers: IceServer[], warnings: string[]): IceServer[] {
  const kept: IceServer[] = [];
  for (const server of servers) {
    const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((url) => {
      if (!UNROUTABLE_HOSTS.has(iceUrlHost(url)!)) return true;
      warnings.push(`ICE URL ${url} dropped: its host is not reachable by a peer.`);
      return false;
    });
    if (urls.length > 0) kept.push({ ...server, urls: urls.length === 1 ? urls[0] : urls });
  }
  return kept;
}

function iceVar(env: Env, warnings: string[]): IceServer[] {
  const rawIce = env.CHAT_WEBRTC_ICE_SERVERS;
  if (rawIce !== undefined && rawIce.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawIce);
    } catch {
      parsed = undefined;
    }
    const result = z.array(iceServerSchema).safeParse(parsed);
    if (!result.success) {
      throw new ConfigError(
        "CHAT_WEBRTC_ICE_SERVERS",
        'a JSON array of RTCIceServer objects or URL strings, e.g. [{"urls":"stun:stun.example.com:3478"}]',
        rawIce,
      );
    }
    const servers = result.data.map((entry) => typeof entry === "string" ? { urls: entry } : entry);
    requireIceUrls(servers.flatMap((s) => s.urls), "CHAT_WEBRTC_ICE_SERVERS", rawIce);
    return filterIce(servers, warnings);
  }
  const stunRaw = env.CHAT_WEBRTC_STUN_URLS ?? "stun:stun.l.google.com:19302";
  const stunUrls = parseList(stunRaw) ?? [];
  requireIceUrls(stunUrls, "CHAT_WEBRTC_STUN_URLS", stunRaw);
  const servers: IceServer[] = stunUrls.map((urls) => ({ urls }));
  const turnUrls = parseList(env.CHAT_WEBRTC_TURN_URLS ?? "") ?? [];
  requireIceUrls(turnUrls, "CHAT_WEBRTC_TURN_URLS", env.CHAT_WEBRTC_TURN_URLS ?? "");
  const user = env.CHAT_WEBRTC_TURN_USER ?? "";
  const password = env.CHAT_WEBRTC_TURN_PASSWORD ?? "";
  const turnParts = [turnUrls.length > 0, user !== "", password !== ""];
  if (turnParts.every(Boolean)) {
    servers.push({ urls: turnUrls, username: user, credential: password });
  } else if (turnParts.some(Boolean)) {
    warnings.push(
      "TURN ignored: set all of CHAT_WEBRTC_TURN_URLS, CHAT_WEBRTC_TURN_USER and CHAT_WEBRTC_TURN_PASSWORD.",
    );
  }
  return filterIce(servers, warnings);
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
    iceServers: iceVar(env, warnings),
    tls,
    httpRedirectPort,
    warnings,
  };
}
