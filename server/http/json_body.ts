/** Reads and validates a JSON request body: size cap, content type, syntax, then a zod schema. */
import type { Context } from "hono";
import type { z } from "zod";
import { AppError, type ValidationIssue } from "../errors.ts";

import { MAX_BODY_BYTES, readCappedBody } from "./body_limit.ts";

/** zod issues as `{path, message}` pairs with dotted paths ("" for the body itself). */
function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.code === "unrecognized_keys"
      ? `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.`
      : issue.message,
  }));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

async function readText(request: Request): Promise<string> {
  const bytes = await readCappedBody(request, MAX_BODY_BYTES);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new AppError(422, "The request body is not valid UTF-8.");
  }
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

/** Parses the body of `c` as JSON and validates it against `schema`. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new AppError(422, "Send the body as JSON with Content-Type: application/json.");
  }
  const text = await readText(c.req.raw);
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
