/**
 * Turns the app's Response into HTTP/1.1 bytes for the front's own serving (inline_http.ts), as
 * Deno.serve does for these answers: a Date header, a Content-Length, and no body for HEAD, 204
 * and 304 (and no compression, which Deno.serve did not apply to them either; built files carry
 * their own gzip). It also writes the response defaults (server/http/response_defaults.ts), which
 * the app leaves to it on this path. Bodies are read whole: every answer the app gives is small
 * and finished (pages, JSON, static files), and a socket is never served here.
 */
import { RESPONSE_DEFAULTS } from "../http/response_defaults.ts";

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const ENCODER = new TextEncoder();
const EMPTY = new Uint8Array(0);

let dateSecond = 0;
let dateValue = "";
/** The Date header's value, formatted once a second. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(second * 1000).toUTCString();
  }
  return dateValue;
}

const defaultLinesBesides = (own: ReadonlySet<string>) =>
  [...RESPONSE_DEFAULTS].filter(([name]) => !own.has(name))
    .map(([name, value]) => `${name}: ${value}\r\n`).join("");
const DEFAULT_LINES = defaultLinesBesides(new Set());

/**
 * The whole answer as bytes, and whether the app asked for the connection to close. `headOnly`
 * (HEAD) leaves the body out.
 */
export async function responseBytes(
  response: Response,
  headOnly: boolean,
): Promise<{ bytes: Uint8Array; close: boolean }> {
  const status = response.status;
  const bodiless = status === 204 || status === 304;
  // bytes(), not .body: reading .body would build a stream around a string body.
  // A HEAD answer's body is read too, for the Content-Length a GET would have had.
  const body: Uint8Array = bodiless ? EMPTY : await response.bytes();
  const sent = headOnly ? EMPTY : body;
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? ""}\r\n`;
  let close = false;
  /** Defaults the response set itself (its values win). */
  let own: Set<string> | undefined;
  // One pass over the headers, with forEach: Deno's Headers iterator costs about 1 µs a header
  // (it re-reads its sorted list at each step), forEach a small part of that.
  response.headers.forEach((value, name) => {
    switch (name) {
      case "content-length":
      case "date":
        return;
      case "connection":
        close = /\bclose\b/i.test(value);
        break;
    }
    if (RESPONSE_DEFAULTS.has(name)) (own ??= new Set()).add(name);
    head += `${name}: ${value}\r\n`;
  });
  head += own === undefined ? DEFAULT_LINES : defaultLinesBesides(own);
  if (!bodiless) head += `content-length: ${body.length}\r\n`;
  head += `date: ${httpDate()}\r\n\r\n`;
  const bytes = new Uint8Array(head.length + sent.length);
  // Header values are byte strings: one byte per character, which UTF-8 agrees with for ASCII
  // (when it wrote more bytes than there are characters, something was not ASCII).
  if (ENCODER.encodeInto(head, bytes.subarray(0, head.length)).read !== head.length) {
    for (let i = 0; i < head.length; i++) bytes[i] = head.charCodeAt(i);
  }
  bytes.set(sent, head.length);
  return { bytes, close };
}
