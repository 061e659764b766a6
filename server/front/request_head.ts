/**
 * Reads a plain HTTP/1.1 request head for the front's own serving (inline_http.ts). It accepts
 * only the unambiguous subset: a common method, an origin-form target, token header names, ASCII
 * values, one Host, at most one all-digit Content-Length up to the app's body cap, and no
 * Transfer-Encoding, Expect, Upgrade or folded line. Anything else answers null and the connection
 * is handed to Deno.serve from that request on, so every ambiguous or rare case keeps the
 * runtime's parser (which is what stops request smuggling) and this file never has to get one
 * right.
 */
import { MAX_BODY_BYTES } from "../http/body_limit.ts";

export interface RequestHead {
  method: string;
  /** The origin-form target: path and query. */
  target: string;
  host: string;
  headers: [string, string][];
  contentLength: number;
  /** The client asked to close after this answer. */
  close: boolean;
}

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\/[!-~]*) HTTP\/1\.1$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, space and tab: no control bytes, nothing above 0x7f. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/** A host name or address with an optional port; no user info, path or spaces. */
const HOST = /^[0-9A-Za-z.:[\]-]+$/;
/** Headers whose presence means the runtime should see the request. */
const HANDED_OVER = new Set(["transfer-encoding", "expect", "upgrade", "http2-settings"]);
const DECODER = new TextDecoder();

/** The parsed head, or null when Deno.serve should take the connection from this request on. */
export function parseRequestHead(head: Uint8Array): RequestHead | null {
  // Bytes above 0x7f decode to U+FFFD, which the value rule then refuses.
  const lines = DECODER.decode(head).split("\r\n");
  const requestLine = REQUEST_LINE.exec(lines[0]);
  if (requestLine === null) return null;
  const headers: [string, string][] = [];
  let host: string | null = null;
  let contentLength: number | null = null;
  let close = false;
  // The head ends with an empty line, so the last two entries are empty.
  for (let i = 1; i < lines.length - 2; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) return null;
    const lower = name.toLowerCase();
    if (HANDED_OVER.has(lower)) return null;
    if (lower === "host") {
      if (host !== null || !HOST.test(value)) return null;
      host = value;
    } else if (lower === "content-length") {
      if (contentLength !== null || !/^\d{1,6}$/.test(value)) return null;
      contentLength = Number(value);
      if (contentLength > MAX_BODY_BYTES) return null;
    } else if (lower === "connection") {
      const options = value.toLowerCase();
      if (/\bupgrade\b/.test(options)) return null;
      close = /\bclose\b/.test(options);
    }
    headers.push([name, value]);
  }
  if (host === null) return null;
  const bodiless = requestLine[1] === "GET" || requestLine[1] === "HEAD";
  if (bodiless && contentLength !== null && contentLength > 0) return null;
  return {
    method: requestLine[1],
    target: requestLine[2],
    host,
    headers,
    contentLength: contentLength ?? 0,
    close,
  };
}
