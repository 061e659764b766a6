/** GET /ws/sessions/{token}: upgrades to a WebSocket and hands it to the hub. */
import { Hono } from "hono";
import type { Hub, HubSocket } from "./hub.ts";

/** Seconds of silence before Deno pings a socket; a peer that does not answer is dropped. */
const IDLE_TIMEOUT_SECONDS = 25;

/** Deno throws when sending on a socket that is closing; the hub need not care. */
function hubSocket(socket: WebSocket): HubSocket {
  return {
    send(text) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    close(code, reason) {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(code, reason);
      }
    },
  };
}

export function socketRoutes(hub: Hub): Hono {
  return new Hono().get("/sessions/:token", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.json({ detail: "This endpoint speaks WebSocket only." }, 426);
    }
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw, {
      idleTimeout: IDLE_TIMEOUT_SECONDS,
    });
    const connection = hub.connect(c.req.param("token"), hubSocket(socket));
    socket.onmessage = (event) => connection.message(event.data);
    socket.onclose = () => connection.closed();
    socket.onerror = () => {};
    return response;
  });
}
