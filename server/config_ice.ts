/**
 * The ICE servers a browser is given: CHAT_WEBRTC_ICE_SERVERS, or the STUN and TURN variables; and
 * TURN with short-lived credentials (CHAT_TURN_URLS, CHAT_TURN_SECRET), which wins over static TURN.
 */
import { z } from "zod";
import { ConfigError, type Env, parseList } from "./config_vars.ts";
import type { TurnConfig } from "./turn_credentials.ts";

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

const UNROUTABLE_HOSTS = new Set([
  "0.0.0.0",
  "127.0.0.1",
  "localhost",
  "::",
  "::1",
  "[::]",
  "[::1]",
]);

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

/** A secret shorter than this is said to be weak (it is not refused: coturn takes any). */
const SHORT_SECRET = 16;

/**
 * CHAT_TURN_URLS with CHAT_TURN_SECRET, or null when neither is set. One without the other stops
 * start-up: an operator who set one meant TURN to work. The secret is never shown.
 */
export function turnVar(env: Env, warnings: string[]): TurnConfig | null {
  const raw = env.CHAT_TURN_URLS ?? "";
  const secret = env.CHAT_TURN_SECRET ?? "";
  const listed = parseList(raw) ?? [];
  if (listed.length === 0 && secret === "") return null;
  if (listed.length === 0) {
    throw new ConfigError(
      "CHAT_TURN_URLS",
      "turn: or turns: URLs to go with CHAT_TURN_SECRET",
      raw,
    );
  }
  if (listed.some((url) => !/^turns?:/i.test(url.trim()))) {
    throw new ConfigError(
      "CHAT_TURN_URLS",
      "turn: or turns: URLs with a host, e.g. turn:turn.example.com:3478",
      raw,
    );
  }
  requireIceUrls(listed, "CHAT_TURN_URLS", raw);
  if (secret === "") {
    throw new ConfigError(
      "CHAT_TURN_SECRET",
      "the TURN server's static-auth-secret (coturn use-auth-secret), set with CHAT_TURN_URLS",
      "",
    );
  }
  if (secret.length < SHORT_SECRET) {
    warnings.push(
      `CHAT_TURN_SECRET is shorter than ${SHORT_SECRET} characters: whoever guesses it can use the TURN server.`,
    );
  }
  const [kept] = filterIce([{ urls: listed }], warnings);
  if (!kept) return null;
  return { urls: Array.isArray(kept.urls) ? kept.urls : [kept.urls], secret };
}

/** Static TURN entries give way to CHAT_TURN_*: only their STUN URLs stay, with a warning. */
export function withoutStaticTurn(servers: IceServer[], warnings: string[]): IceServer[] {
  const kept: IceServer[] = [];
  let dropped = false;
  for (const server of servers) {
    const all = Array.isArray(server.urls) ? server.urls : [server.urls];
    const stun = all.filter((url) => /^stuns?:/i.test(url.trim()));
    if (stun.length < all.length) dropped = true;
    if (stun.length > 0) kept.push({ urls: stun.length === 1 ? stun[0] : stun });
  }
  if (dropped) {
    warnings.push("Static TURN ignored: CHAT_TURN_URLS and CHAT_TURN_SECRET are set and win.");
  }
  return kept;
}

export function iceVar(env: Env, warnings: string[]): IceServer[] {
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
