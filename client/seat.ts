/**
 * Taking and keeping a seat.
 *
 * - The client identity: a random value in localStorage, the same for every tab of this browser,
 *   so the server can hand a returning device its own seat. It is never derived from the network.
 * - The seat credential (`participant_id`): per tab, in sessionStorage, so a reload or a dropped
 *   connection brings this tab back into its seat while another tab must ask to join.
 * - The join call, and its failures in words.
 */
import { type JoinedSeat, type JoinRequest, SEATS_TAKEN } from "../contract/api.ts";
import type { Role } from "../contract/session.ts";
import { ApiError, postJson } from "./api.ts";
import { randomBytes } from "./crypto/bytes.ts";
import { toBase64Url } from "./crypto/encoding.ts";

const IDENTITY_KEY = "chatorbit.identity";
const seatKey = (token: string) => `chatorbit.seat.${token}`;

/** 128 random bits, base64url. */
const randomId = () => toBase64Url(randomBytes(16));

/** This browser's random identity, created on first use (storage may be off: then per page). */
export function clientIdentity(): string {
  try {
    let id = localStorage.getItem(IDENTITY_KEY);
    if (!id) {
      id = randomId();
      localStorage.setItem(IDENTITY_KEY, id);
    }
    return id;
  } catch {
    return fallbackIdentity ??= randomId();
  }
}
let fallbackIdentity: string | undefined;

export interface StoredSeat {
  participantId: string;
  role: Role;
}

export function loadSeat(token: string): StoredSeat | null {
  try {
    const raw = sessionStorage.getItem(seatKey(token));
    const seat = raw ? JSON.parse(raw) as StoredSeat : null;
    return seat && typeof seat.participantId === "string" ? seat : null;
  } catch {
    return null;
  }
}

function saveSeat(seat: JoinedSeat): void {
  try {
    sessionStorage.setItem(
      seatKey(seat.token),
      JSON.stringify({ participantId: seat.participant_id, role: seat.role }),
    );
  } catch {
    // Storage off: the seat lasts as long as the page.
  }
}

export function forgetSeat(token: string): void {
  try {
    sessionStorage.removeItem(seatKey(token));
  } catch {
    // Nothing stored.
  }
}

const JOIN_MESSAGES: Record<number, string> = {
  404: "No chat exists for this token. Check that it was copied whole.",
  409: SEATS_TAKEN,
};

/** Joins `token` as this browser (its seat credential when it has one) and stores the seat. */
export async function joinSeat(token: string, participantId?: string): Promise<JoinedSeat> {
  const seat = await postJson<JoinedSeat>(
    "/api/sessions/join",
    {
      token,
      client_identity: clientIdentity(),
      ...(participantId ? { participant_id: participantId } : {}),
    } satisfies JoinRequest,
  );
  saveSeat(seat);
  return seat;
}

/** Joins with this tab's seat credential, or as this browser when the server no longer knows it. */
export async function takeSeat(token: string): Promise<JoinedSeat> {
  const stored = loadSeat(token);
  try {
    return await joinSeat(token, stored?.participantId);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404 && stored)) throw error;
    forgetSeat(token);
    return await joinSeat(token);
  }
}

/** A join failure as a sentence for the person who pressed Join. */
export function joinErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return "Could not join. Please try again.";
  return JOIN_MESSAGES[error.status] ?? error.detail;
}
