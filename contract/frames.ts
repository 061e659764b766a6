/** The socket's frames, a discriminated union on `type` each way (contract: WebSocket section). */
import type { EndReason, Role, SessionStatus } from "./session.ts";

export const CLIENT_FRAME_TYPES = ["auth", "signal", "relay", "ping"] as const;

type AuthFrame = { type: "auth"; participant_id: string };
/** `payload` is opaque to the server: it relays it as it came. */
export type SignalFrame = { type: "signal"; signalType: string; payload: unknown };
/** `payload` is a sealed envelope (ciphertext) the server relays as it came. */
export type RelayFrame = { type: "relay"; payload: string };
type PingFrame = { type: "ping" };
export type ClientFrame = AuthFrame | SignalFrame | RelayFrame | PingFrame;

export interface StatusFrame {
  type: "status";
  status: SessionStatus;
  you: Role;
  connected: Role[];
  session_started_at: string | null;
  session_expires_at: string | null;
  remaining_seconds: number | null;
  server_time: string;
  message_char_limit: number;
  end_reason: EndReason | null;
}

/** One ICE server as RTCPeerConnection takes it (RTCIceServer's fields that travel). */
export interface IceServerInit {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * This seat's own short-lived TURN credentials (CHAT_TURN_*), sent before the status that answers
 * its auth and again when its session starts; added to the page's ICE servers.
 */
export interface TurnFrame {
  type: "turn";
  iceServers: IceServerInit[];
}

export type ServerFrame =
  | TurnFrame
  | StatusFrame
  | { type: "signal"; signalType: string; payload: unknown; from: Role }
  | { type: "relay"; payload: string; from: Role }
  | { type: "pong"; server_time: string }
  | { type: "error"; code: string; message: string }
  | { type: "session_closed"; reason: EndReason };
