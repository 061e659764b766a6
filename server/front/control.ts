/**
 * What the connection front offers the app for the TCP connection under a request: cut it
 * shortly after the app closes a socket (a client that never answers the close must not keep its
 * connection), and hear about frames the front refused before Deno could buffer them.
 */
export interface ConnectionControl {
  /** Cuts the TCP connection after a short grace, unless it ends by itself first. */
  cutSoon(): void;
  /** Calls `listener` with the close code of a frame the front refused (now or already). */
  onRefusedFrame(listener: (code: number) => void): void;
}
