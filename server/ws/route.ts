/** GET /ws/sessions/{token}: admits, upgrades to a WebSocket and hands it to the hub. */
import { Hono } from "hono";
import type { Deps } from "../deps.ts";
import type { ConnectionControl } from "../front/control.ts";
import { clientKey } from "../http/client_address.ts";
import { type AdmissionTicket, SocketAdmission } from "./admission.ts";
import { authAttempts } from "./auth_attempts.ts";
import type { Connection, HubSocket } from "./hub.ts";
import { OutgoingBudget, QueueMeter } from "./outgoing_budget.ts";
import { originAllowed } from "../http/origin.ts";

/**
 * Seconds of silence before Deno pings a socket; one that does not answer within as long again is
 * dropped. Clients ping every 15 s, so a socket whose network vanished is gone, and the other
 * person is told, within 2 × 12 s of its last frame: inside two of the client's ping intervals.
 */
const IDLE_TIMEOUT_SECONDS = 12;

/**
 * Binds one Deno WebSocket to its hub connection both ways, as one object: it is the socket the
 * hub writes to and the listener of the socket's events, so a socket costs no closures here.
 */
class SocketBinding implements HubSocket, EventListenerObject {
  connection: Connection | null = null;
  ticket: AdmissionTicket | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly meter: QueueMeter,
    /** The TCP connection under the socket, when the connection front carries it. */
    private readonly control: ConnectionControl | undefined,
  ) {
    socket.addEventListener("message", this);
    socket.addEventListener("close", this);
    // An error event is always followed by a close event; listening keeps it unreported.
    socket.addEventListener("error", this);
  }

  handleEvent(event: Event): void {
    if (event.type === "message") this.connection?.message((event as MessageEvent).data);
    else if (event.type === "close") this.#gone();
  }

  /** Sends unless the socket's queue would pass its cap; then closes it with 1013. */
  send(text: string): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return true;
    if (!this.meter.admit(this.socket.bufferedAmount, text.length)) {
      this.close(1013, "Outgoing queue full");
      return false;
    }
    this.socket.send(text);
    return true;
  }

  /** Closes, and has the front cut the TCP connection shortly after if the peer never answers. */
  close(code?: number, reason?: string): void {
    const state = this.socket.readyState;
    if (state === WebSocket.OPEN || state === WebSocket.CONNECTING) this.socket.close(code, reason);
    this.control?.cutSoon();
  }

  authenticated(): void {
    this.ticket?.authenticated();
  }

  #gone(): void {
    this.meter.release();
    this.ticket?.release();
    this.connection?.closed();
  }
}

export function socketRoutes(deps: Deps, budget = new OutgoingBudget()): Hono {
  const { hub, config } = deps;
  const admission = new SocketAdmission({
    socketsPerAddress: config.connectionsPerAddress,
    unauthenticatedPerAddress: config.pendingSocketsPerAddress,
    memoryLimitBytes: config.memoryGuardMb * 1024 * 1024,
  });
  return new Hono().get("/sessions/:token", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.json({ detail: "This endpoint speaks WebSocket only." }, 426);
    }
    if (!originAllowed(deps.origins, c.req.header("origin"), c.req.header("host"))) {
      return c.json({ detail: "This origin may not open a socket here." }, 403);
    }
    const address = clientKey(c, config.trustProxy);
    const control = (c.env as { control?: ConnectionControl } | undefined)?.control;
    let binding: SocketBinding | null = null;
    const ticket = admission.admit(address, () => binding?.close(1013, "Server busy"));
    if (ticket === "server_busy") {
      return c.json({ detail: "The server is busy; try again shortly." }, 503);
    }
    if (ticket === "too_many_sockets") {
      return c.json({ detail: "Too many sockets from this address." }, 429);
    }
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, {
      idleTimeout: IDLE_TIMEOUT_SECONDS,
    });
    binding = new SocketBinding(socket, new QueueMeter(budget), control);
    binding.ticket = ticket;
    binding.connection = hub.connect(
      c.req.param("token"),
      binding,
      authAttempts(deps.joinLimiter, address),
    );
    // The front cut a frame Deno would otherwise have buffered whole: close with its code.
    control?.onRefusedFrame((code) => binding?.close(code, "Frame refused"));
    return response;
  });
}
