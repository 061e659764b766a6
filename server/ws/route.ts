/** GET /ws/sessions/{token}: upgrades to a WebSocket and hands it to the hub. */
import { Hono } from "hono";
import type { Connection, Hub, HubSocket } from "./hub.ts";

/** Seconds of silence before Deno pings a socket; a peer that does not answer is dropped. */
const IDLE_TIMEOUT_SECONDS = 25;

/**
 * Binds one Deno WebSocket to its hub connection both ways, as one object: it is the socket the
 * hub writes to and the listener of the socket's events, so a socket costs no closures here.
 */
class SocketBinding implements HubSocket, EventListenerObject {
  connection: Connection | null = null;

  constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", this);
    socket.addEventListener("close", this);
    // An error event is always followed by a close event; listening keeps it unreported.
    socket.addEventListener("error", this);
  }

  handleEvent(event: Event): void {
    if (event.type === "message") this.connection?.message((event as MessageEvent).data);
    else if (event.type === "close") this.connection?.closed();
  }

  /** Deno throws when sending on a socket that is closing; the hub need not care. */
  send(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  close(code?: number, reason?: string): void {
    const state = this.socket.readyState;
    if (state === WebSocket.OPEN || state === WebSocket.CONNECTING) this.socket.close(code, reason);
  }
}

export function socketRoutes(hub: Hub): Hono {
  return new Hono().get("/sessions/:token", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.json({ detail: "This endpoint speaks WebSocket only." }, 426);
    }
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, {
      idleTimeout: IDLE_TIMEOUT_SECONDS,
    });
    const binding = new SocketBinding(socket);
    binding.connection = hub.connect(c.req.param("token"), binding);
    return response;
  });
}
