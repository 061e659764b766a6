/**
 * The connection front: the process's public listener. Deno.serve has no header, body or idle
 * timeouts and Deno.upgradeWebSocket no maximum message size, so the front owns every client TCP
 * connection and enforces those rules before the runtime sees the bytes, then pipes each connection
 * to the app's own Deno.serve on an internal loopback port. It also caps connections per address
 * and survives accept errors (EMFILE) by backing off. A TLS listener (Deno.listenTls) works the
 * same, so HTTPS can terminate here.
 */
import { FdBudget, PIPED_FDS } from "./fd_budget.ts";
import { FrontConnection } from "./front_connection.ts";
import type { InlineServing } from "./inline_http.ts";
import { DEFAULT_FRONT_LIMITS, type FrontLimits } from "./limits.ts";
import type { ConnectionControl } from "./control.ts";

/** How often deadlines are checked: one timer for all connections, not one per connection. */
const SWEEP_MS = 500;
const MAX_BACKOFF_MS = 1_000;
/** On shutdown, how long open connections get to deliver their last frames. */
const SHUTDOWN_GRACE_MS = 500;

export interface Front {
  /**
   * The handler info the app should see for a request the internal server received: the client's
   * own address, and the control of its connection.
   */
  resolve(info: Deno.ServeHandlerInfo): Deno.ServeHandlerInfo & { control?: ConnectionControl };
  /** Open client connections (for tests). */
  readonly connections: number;
  /** Stops accepting, gives open connections a moment to finish, then cuts the rest. */
  close(): Promise<void>;
}

export function startFront(
  listener: Deno.Listener,
  upstreamPort: number,
  limits: FrontLimits = DEFAULT_FRONT_LIMITS,
  /** The app's handler, to answer plain requests without the pipe (inline_http.ts). */
  inline: InlineServing | null = null,
): Front {
  const byUpstreamPort = new Map<number, FrontConnection>();
  const open = new Set<FrontConnection>();
  const perAddress = new Map<string, number>();
  let closed = false;

  const fds = new FdBudget();
  const connectUpstream = async (connection: FrontConnection) => {
    // The head phase held one descriptor; piping needs two more (ours and the app's).
    if (!fds.take(PIPED_FDS - 1)) throw new Error("out of file descriptors");
    connection.heldFds = PIPED_FDS;
    const upstream = await Deno.connect({ hostname: "127.0.0.1", port: upstreamPort });
    upstream.setNoDelay(true);
    byUpstreamPort.set(upstream.localAddr.port, connection);
    return upstream;
  };
  const onEnd = (connection: FrontConnection) => {
    open.delete(connection);
    fds.give(connection.heldFds);
    if (connection.upstream) byUpstreamPort.delete(connection.upstream.localAddr.port);
    const address = hostOf(connection.remoteAddr);
    const count = (perAddress.get(address) ?? 1) - 1;
    if (count <= 0) perAddress.delete(address);
    else perAddress.set(address, count);
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const connection of open) connection.check(now);
  }, SWEEP_MS);

  (async () => {
    let backoff = 0;
    while (!closed) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
        backoff = 0;
      } catch (error) {
        if (closed || error instanceof Deno.errors.BadResource) break;
        // Out of file descriptors (EMFILE) or a transient error: wait and try again, never exit.
        backoff = Math.min(MAX_BACKOFF_MS, backoff === 0 ? 10 : backoff * 2);
        if (backoff === MAX_BACKOFF_MS) console.warn(`Accept failed, retrying: ${error}`);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        continue;
      }
      const address = hostOf(conn.remoteAddr);
      const count = perAddress.get(address) ?? 0;
      if (count >= limits.connectionsPerAddress || !fds.take(1)) {
        conn.close();
        continue;
      }
      perAddress.set(address, count + 1);
      const connection = new FrontConnection(conn, limits, inline, connectUpstream, onEnd);
      open.add(connection);
      connection.run();
    }
  })();

  return {
    resolve(info) {
      const connection = byUpstreamPort.get((info.remoteAddr as Deno.NetAddr).port);
      if (!connection) return info;
      return {
        ...info,
        remoteAddr: connection.remoteAddr as Deno.NetAddr,
        control: connection,
      };
    },
    get connections() {
      return open.size;
    },
    async close() {
      closed = true;
      try {
        listener.close();
      } catch { /* already closed */ }
      const until = Date.now() + SHUTDOWN_GRACE_MS;
      const sockets = () => [...open].some((connection) => connection.mode === "socket");
      while (sockets() && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      clearInterval(sweep);
      for (const connection of [...open]) connection.end();
    },
  };
}

function hostOf(addr: Deno.Addr): string {
  return "hostname" in addr ? addr.hostname : "local";
}
