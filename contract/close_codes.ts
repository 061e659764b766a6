/**
 * The socket's close codes (contract: WebSocket section). One constant each, so a bundle carries
 * only the codes it uses; `CLOSE` groups them for the server.
 */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_UNSUPPORTED = 1003;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_SERVER_ERROR = 1011;
/** The server is restarting: its replacement takes the socket at once. */
export const CLOSE_SERVICE_RESTART = 1012;
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_NOT_FOUND = 4404;
export const CLOSE_REPLACED = 4409;
export const CLOSE_GONE = 4410;
export const CLOSE_TOO_MANY_ATTEMPTS = 4429;

export const CLOSE = {
  normal: CLOSE_NORMAL,
  goingAway: CLOSE_GOING_AWAY,
  unsupported: CLOSE_UNSUPPORTED,
  policy: CLOSE_POLICY,
  tooBig: CLOSE_TOO_BIG,
  serverError: CLOSE_SERVER_ERROR,
  serviceRestart: CLOSE_SERVICE_RESTART,
  tryAgainLater: CLOSE_TRY_AGAIN_LATER,
  unauthorized: CLOSE_UNAUTHORIZED,
  notFound: CLOSE_NOT_FOUND,
  replaced: CLOSE_REPLACED,
  gone: CLOSE_GONE,
  tooManyAttempts: CLOSE_TOO_MANY_ATTEMPTS,
} as const;
