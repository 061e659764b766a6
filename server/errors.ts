/**
 * The one error type of the HTTP layer. Domain rules throw it; `app.onError` maps it to
 * `{"detail": ...}` with its status and headers, so no handler formats errors by hand.
 */
export interface ValidationIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 503,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
    readonly issues?: ValidationIssue[],
  ) {
    super(detail);
    this.name = "AppError";
  }
}

const TOKEN_NOT_FOUND = "Token not found in database.";
const PARTICIPANT_NOT_FOUND = "Participant record not found for this session.";

export function tokenNotFound(): AppError {
  return new AppError(404, "Token not found.", { "msg-app": TOKEN_NOT_FOUND });
}

export function participantNotFound(): AppError {
  return new AppError(404, "Participant not found.", { "msg-app": PARTICIPANT_NOT_FOUND });
}
