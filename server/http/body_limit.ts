/**
 * Request bodies are capped while they stream, on every route and in every encoding.
 *
 * A declared `Content-Length` over the cap is refused before a byte is read (the middleware);
 * a chunked body is read piece by piece and cut off as soon as it passes the cap
 * ({@link readCappedBody}). Nothing in the app reads a body any other way, so no request can
 * make the process hold more than the cap for it.
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors.ts";

export const MAX_BODY_BYTES = 16 * 1024;

function bodyTooLarge(limit = MAX_BODY_BYTES): AppError {
  return new AppError(413, `The request body is over ${limit / 1024} KiB.`);
}

/** Refuses any request whose declared length is over the cap, whatever its route. */
export function bodyLimit(limit = MAX_BODY_BYTES): MiddlewareHandler {
  return async function bodyLimitMiddleware(c, next) {
    const length = c.req.header("content-length");
    if (length !== undefined && !(Number(length) <= limit)) throw bodyTooLarge(limit);
    await next();
  };
}

/** The body's bytes, at most `limit` of them; past that a 413 and the rest is never read. */
export async function readCappedBody(
  request: Request,
  limit = MAX_BODY_BYTES,
): Promise<Uint8Array> {
  if (Number(request.headers.get("content-length") ?? "0") > limit) throw bodyTooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
