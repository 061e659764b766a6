/** The JSON API's requests and answers (contract: HTTP section). */
import type { ValidityPeriod } from "./limits.ts";
import type { EndReason, Role, SessionStatus } from "./session.ts";

/** POST /api/tokens */
export interface MintRequest {
  validity_period: ValidityPeriod;
  session_ttl_minutes: number;
  message_char_limit?: number;
  client_identity?: string;
}

export interface MintedToken {
  token: string;
  validity_expires_at: string;
  session_ttl_seconds: number;
  message_char_limit: number;
  created_at: string;
}

/** POST /api/sessions/join */
export interface JoinRequest {
  token: string;
  participant_id?: string;
  client_identity?: string;
}

export interface JoinedSeat {
  token: string;
  participant_id: string;
  role: Role;
  session_active: boolean;
  session_started_at: string | null;
  session_expires_at: string | null;
  message_char_limit: number;
}

/** GET /api/sessions/:token/status */
export interface SessionView {
  token: string;
  status: SessionStatus;
  validity_expires_at: string;
  session_started_at: string | null;
  session_expires_at: string | null;
  session_ttl_seconds: number;
  message_char_limit: number;
  /** `connected` only when the request was made by a seat holder (presence is theirs to see). */
  participants: { role: Role; joined_at: string; connected?: boolean }[];
  remaining_seconds: number | null;
  server_time: string;
  end_reason: EndReason | null;
}

/** Every refusal's body; `issues` lists the fields a 422 refused. */
export interface ErrorBody {
  detail: string;
  issues?: { path: string; message: string }[];
}

/** The 409 of a join when both seats are held: the server's detail and the page's sentence. */
export const SEATS_TAKEN = "Both seats of this chat are taken.";
