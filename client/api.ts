/**
 * Calls to the JSON API from the browser. Every failure becomes an {@link ApiError} whose
 * `detail` is a sentence fit to show a person (never "[object Object]").
 */
import { type ErrorBody, SEATS_TAKEN } from "../contract/api.ts";

export type Issue = NonNullable<ErrorBody["issues"]>[number];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly issues: Issue[] = [],
    readonly retryAfterSeconds: number | null = null,
    /** The `msg-app` header, which tells an unknown token from an unknown seat. */
    readonly reason: string | null = null,
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

const FALLBACK: Record<number, string> = {
  404: "Not found.",
  409: SEATS_TAKEN,
  410: "This chat is over.",
  429: "Too many attempts. Please wait a moment.",
};

/** Sends a request and returns the JSON body, or throws an ApiError. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: "application/json", ...init.headers },
    });
  } catch {
    throw new ApiError(0, "The server could not be reached. Check the connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => null) as
    | { detail?: unknown; issues?: unknown }
    | null;
  if (response.ok) return body as T;
  const detail = typeof body?.detail === "string"
    ? body.detail
    : FALLBACK[response.status] ?? `The server answered ${response.status}. Please try again.`;
  const issues = Array.isArray(body?.issues)
    ? (body.issues as Issue[]).filter((i) =>
      typeof i?.path === "string" && typeof i?.message === "string"
    )
    : [];
  const retry = Number(response.headers.get("retry-after"));
  throw new ApiError(
    response.status,
    detail,
    issues,
    Number.isFinite(retry) && retry > 0 ? retry : null,
    response.headers.get("msg-app"),
  );
}

export function postJson<T>(path: string, body: unknown, headers: HeadersInit = {}): Promise<T> {
  return api<T>(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}
