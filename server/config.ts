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
  joinRateLimitPerMinute: number;
  trustProxy: boolean;
  corsAllowedOrigins: string[];
  corsAllowCredentials: boolean;
  iceServers: IceServer[];
  /** Problems that did not stop start-up but that an operator should read. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(variable: string, accepts: string, value: string) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${accepts}.`);
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
  if (raw === undefined || raw.trim() === "") return ["*"];
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
      databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@"),
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
  return {
    port: intVar(env, "PORT", 8000, 0, 65535),
    host,
    databaseUrl,
    sqlitePath,
    tokenRateLimitPerHour: intVar(env, "CHAT_TOKEN_RATE_LIMIT_PER_HOUR", 10, 1, 1_000_000),
    joinRateLimitPerMinute: intVar(env, "CHAT_JOIN_RATE_LIMIT_PER_MINUTE", 60, 1, 1_000_000),
    trustProxy: boolVar(env, "CHAT_TRUST_PROXY", false),
    corsAllowedOrigins,
    corsAllowCredentials: boolVar(env, "CHAT_CORS_ALLOW_CREDENTIALS", true) &&
      !corsAllowedOrigins.includes("*"),
    iceServers: iceVar(env, warnings),
    warnings,
  };
}
