/**
 * Where a tab stands in its session, and the two readings derived from it: whether the tab holds a
 * seat (the chat lives exactly then) and whether the session is over for it. Each rule is here
 * once; the island and the room model only ask.
 */
import type { SessionStatus } from "../contract/session.ts";

export type Phase =
  | "lobby" // not seated in this tab: the Join button
  | "joining"
  | "connecting"
  | "waiting" // seated, the other person has not joined yet
  | "active"
  | "ended"
  | "expired" // the link's validity ran out before the chat started
  | "full" // both seats belong to other devices
  | "replaced" // this seat is open in another tab now
  | "missing"; // the token does not exist (any more)

/** The phases in which this tab holds a seat in a session that is not over. */
export const SEATED: ReadonlySet<Phase> = new Set(["connecting", "waiting", "active", "replaced"]);

/** The phases with no more actions: the session ended, expired or does not exist. */
export const OVER: ReadonlySet<Phase> = new Set(["ended", "expired", "missing"]);

/** The phase a seated tab is in for a session status. */
export function phaseOf(status: SessionStatus): Phase {
  return status === "issued"
    ? "waiting"
    : status === "active"
    ? "active"
    : status === "expired"
    ? "expired"
    : "ended";
}
