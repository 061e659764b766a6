/**
 * The front answering plain HTTP itself. Piping a request through a second loopback connection
 * to Deno.serve cost more than the app's own work (two more socket writes and reads per request,
 * half of a status read's CPU), so requests in the plain subset request_head.ts accepts are
 * handed to the app's fetch handler here, under the same connection rules. The first request
 * outside that subset (a socket upgrade, a chunked or oversized body, anything unusual) hands the
 * connection, from that request on, to Deno.serve through the pipe.
 */
import { inlineRequest } from "./inline_request.ts";
import { parseRequestHead } from "./request_head.ts";
import { responseBytes } from "./response_bytes.ts";

export type FetchHandler = (
  request: Request,
  info: Deno.ServeHandlerInfo,
) => Response | Promise<Response>;

/** The app's handler, and the scheme its requests' URLs get (https when the front holds TLS). */
export interface InlineServing {
  handler: FetchHandler;
  scheme: "http" | "https";
}

/** What the loop needs of its connection (front_connection.ts). */
export interface InlinePort {
  readonly info: Deno.ServeHandlerInfo;
  /** The next request head, starting with bytes already read; null when the client went. */
  readHead(leftover: Uint8Array): Promise<Head | null>;
  /** At least `length` bytes starting with `have`; null when the client went first. */
  readExactly(have: Uint8Array, length: number): Promise<Uint8Array | null>;
  write(bytes: Uint8Array): Promise<void>;
  /** Sends small writes at once from now on (TCP_NODELAY). */
  sendPromptly(): void;
}

export interface Head {
  /** The head and whatever followed it in the same reads. */
  bytes: Uint8Array;
  headLength: number;
}

/**
 * Serves requests while they stay in the plain subset. Returns the head (and the bytes after it)
 * of the first request Deno.serve must take, or null when the connection is done.
 */
export async function serveInline(
  port: InlinePort,
  first: Head,
  { handler, scheme }: InlineServing,
): Promise<Head | null> {
  let head: Head | null = first;
  while (head !== null) {
    const request = parseRequestHead(head.bytes.subarray(0, head.headLength));
    if (request === null) return head;
    let rest = head.bytes.subarray(head.headLength);
    let body: Uint8Array<ArrayBuffer> | undefined;
    if (request.contentLength > 0) {
      const read = await port.readExactly(rest, request.contentLength);
      if (read === null) return null;
      body = read.slice(0, request.contentLength);
      rest = read.subarray(request.contentLength);
    }
    const headOnly = request.method === "HEAD";
    let response: Response;
    try {
      const url = `${scheme}://${request.host}${request.target}`;
      response = await handler(
        // request_head.ts already handed over a GET or HEAD with a body.
        inlineRequest(url, request.method, request.headers, body ?? null),
        port.info,
      );
    } catch (error) {
      // As Deno.serve's default: the error is logged, the client gets a bare 500.
      console.error(error);
      response = new Response(null, { status: 500 });
    }
    const answer = await responseBytes(response, headOnly);
    // Answers to pipelined requests go out back to back; Nagle's algorithm would hold each one
    // after the first until the client's (delayed) ACK of the one before.
    if (rest.length > 0) port.sendPromptly();
    await port.write(answer.bytes);
    if (request.close || answer.close) return null;
    // Bytes after this request (a pipelined next one) are kept: the buffer is reused below.
    head = await port.readHead(rest.slice());
  }
  return null;
}
