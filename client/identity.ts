/**
 * What a browser keeps to hold its seat.
 *
 * - The client identity: a random value in localStorage, the same for every tab of this browser,
 *   so the server can hand a returning device its own seat. It is never derived from the network.
 * - The seat credential (`participant_id`): per tab, in sessionStorage, so a reload or a dropped
 *   connection brings this tab back into its seat while another tab must ask to join.
 */
import type { JoinedSeat } from "./api.ts";

const IDENTITY_KEY = "chatorbit.identity";
const seatKey = (token: string) => `chatorbit.seat.${token}`;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(
    /[+/=]/g,
    (c) => c === "+" ? "-" : c === "/" ? "_" : "",
  );
}

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
  role: "host" | "guest";
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

export function saveSeat(seat: JoinedSeat): void {
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
