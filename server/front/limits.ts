/** The connection front's rules, each in one place (README "Hostile clients" lists them). */
export interface FrontLimits {
  /** Open TCP connections one address may hold. */
  connectionsPerAddress: number;
  /** Time from accept until the first request's head has arrived. */
  headerTimeoutMs: number;
  /** Largest request head. */
  maxHeadBytes: number;
  /** Plain HTTP: no byte either way for this long ends the connection (keep-alive included). */
  httpIdleMs: number;
  /** Plain HTTP: the longest a connection lives, so a trickled body cannot hold it. */
  httpLifetimeMs: number;
  /** WebSocket: no byte either way for this long ends it (the server pings every 25 s). */
  socketIdleMs: number;
  /** Grace between the app closing a socket and the front cutting its TCP connection. */
  cutAfterMs: number;
  /** Largest WebSocket message a client may send (the contract's 64 KiB). */
  maxMessageBytes: number;
}

export const DEFAULT_FRONT_LIMITS: FrontLimits = {
  connectionsPerAddress: 64,
  headerTimeoutMs: 10_000,
  maxHeadBytes: 32 * 1024,
  httpIdleMs: 15_000,
  httpLifetimeMs: 60_000,
  socketIdleMs: 60_000,
  cutAfterMs: 2_000,
  maxMessageBytes: 64 * 1024,
};
