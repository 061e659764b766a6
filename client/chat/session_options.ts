/** What a chat session (chat_session.ts) is made with, and what its send() can refuse. */
import type { ReadonlySignal } from "@preact/signals-core";
import type { ClientFrame, ServerFrame } from "../../contract/frames.ts";
import type { Role } from "../../contract/session.ts";

/** The chat's two-method view of the room's socket. */
export interface SocketPort {
  send(frame: ClientFrame): void;
  /** Subscribes to the server's frames; returns the unsubscribe. */
  receive(fn: (frame: ServerFrame) => void): () => void;
}

export interface ChatSessionOptions {
  token: string;
  role: Role;
  linkSecret: Uint8Array | null;
  /** The page's ICE servers and this seat's TURN credentials, which the socket may renew. */
  iceServers: ReadonlySignal<RTCIceServer[]>;
  charLimit: number;
  port: SocketPort;
  /** True while both seats are connected (the room model's one reading of presence). */
  bothPresent: ReadonlySignal<boolean>;
  /** How long a message may go unacknowledged before it reads "failed" (default 15 s). */
  sendTimeoutMs?: number;
}

/** Why send() refused a text, for the person; null when it went. */
export type SendRefusal = "invisible" | "too_long" | "not_ready";
