/** What the room page hands its island (serialized props): the session as the server saw it. */
import type { EndReason, SessionStatus } from "../contract/session.ts";

export interface RoomInit {
  token: string;
  status: SessionStatus;
  endReason: EndReason | null;
  sessionExpiresAt: string | null;
  serverTime: string;
  ttlSeconds: number;
  charLimit: number;
  /** The largest file sent over the direct path, and through the server's relay (bytes). */
  files: { maxBytes: number; relayMaxBytes: number };
  /** ICE servers from the server's configuration, read at run time. */
  iceServers: RTCIceServer[];
}
