/**
 * Turns the app's Response into HTTP/1.1 bytes for the front's own serving (inline_http.ts), as
 * Deno.serve does for these answers: a Date header, a Content-Length, and no body for HEAD, 204
 * and 304. (Deno.serve does not compress them either; static files carry their own gzip.) Bodies
 * are read whole: every answer the app gives is small and finished (pages, JSON, static files),
 * and a socket is never served here.
 */

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
/** Any character a byte string may hold that UTF-8 would spell in two bytes. */
const NOT_ASCII = /[\u0080-\u00ff]/;

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

/**
 * The whole answer as bytes, and whether the app asked for the connection to close. `headOnly`
 * (HEAD) leaves the body out.
 */
export async function responseBytes(
  response: Response,
  headOnly: boolean,
): Promise<{ bytes: Uint8Array; close: boolean }> {
  const status = response.status;
  const bodiless = headOnly || status === 204 || status === 304;
  // arrayBuffer(), not .body: reading .body would build a stream around a string body.
  const body: Uint8Array = bodiless
    ? new Uint8Array(0)
    : new Uint8Array(await response.arrayBuffer());
  let head = `HTTP/1.1 ${status} ${REASONS[status] ?? ""}\r\n`;
  let close = false;
  let length = "0";
  // One pass over the headers (each get() would scan them again).
  for (const [name, value] of response.headers) {
    switch (name) {
      case "content-length":
        length = value;
        continue;
      case "date":
        continue;
      case "connection":
        close = /\bclose\b/i.test(value);
        break;
    }
    head += `${name}: ${value}\r\n`;
  }
  if (status !== 204 && status !== 304) {
    head += `content-length: ${headOnly ? length : body.length}\r\n`;
  }
  head += `date: ${httpDate()}\r\n\r\n`;
  const bytes = new Uint8Array(head.length + body.length);
  // Header values are byte strings: one byte per character, which UTF-8 agrees with for ASCII.
  if (!NOT_ASCII.test(head)) ENCODER.encodeInto(head, bytes);
  else for (let i = 0; i < head.length; i++) bytes[i] = head.charCodeAt(i);
  bytes.set(body, head.length);
  return { bytes, close };
}
