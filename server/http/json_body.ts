/** Reads and validates a JSON request body: size cap, content type, syntax, then a zod schema. */
import type { Context } from "hono";
import type { z } from "zod";
import { AppError, type ValidationIssue } from "../errors.ts";

export const MAX_BODY_BYTES = 16 * 1024;

/** zod issues as `{path, message}` pairs with dotted paths ("" for the body itself). */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.code === "unrecognized_keys"
      ? `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.`
      : issue.message,
  }));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

async function readCapped(request: Request, limit: number): Promise<string> {
  const length = request.headers.get("content-length");
  if (Number(length ?? "0") > limit) throw tooLarge();
  if (!request.body) return "";
  // A declared length within the cap (the server holds the client to it) reads in one go; a
  // chunked body is read piece by piece so an endless one is cut off at the cap.
  const bytes = length !== null ? new Uint8Array(await request.arrayBuffer()) : await readStream(
    request.body,
    limit,
  );
  if (bytes.byteLength > limit) throw tooLarge();
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError(422, "The request body is not valid UTF-8.");
  }
}

async function readStream(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Whether every string (and key) in a parsed JSON value is valid Unicode. */
function wellFormed(root: unknown): boolean {
  // Iterative: a 16 KiB body can nest thousands of levels deep.
  const pending = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (!value.isWellFormed()) return false;
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) return false;
        pending.push(item);
      }
    }
  }
  return true;
}

function tooLarge(): AppError {
  return new AppError(413, `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`);
}

/** Parses the body of `c` as JSON and validates it against `schema`. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new AppError(422, "Send the body as JSON with Content-Type: application/json.");
  }
  const text = await readCapped(c.req.raw, MAX_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(422, "The request body is not valid JSON.");
  }
  // JSON may spell lone surrogates as \ud800 escapes; such text cannot be stored or hashed
  // faithfully (UTF-8 encoders replace it, so two different values would hash alike).
  if (!wellFormed(value)) {
    throw new AppError(422, "The request body contains text that is not valid Unicode.");
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toIssues(result.error);
    const first = issues[0];
    const detail = first?.path ? `${first.message}` : first?.message ?? "Invalid request body.";
    throw new AppError(422, detail, {}, issues);
  }
  return result.data;
}
