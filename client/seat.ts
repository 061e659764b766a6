/** Taking a seat: the join call, remembering the seat in this tab, and its failures in words. */
import { ApiError, type JoinedSeat, postJson } from "./api.ts";
import { clientIdentity, saveSeat } from "./identity.ts";

const JOIN_MESSAGES: Record<number, string> = {
  404: "No chat exists for this token. Check that it was copied whole.",
  409: "Both seats of this chat are already taken.",
};

/** Joins `token` as this browser (its seat credential when it has one) and stores the seat. */
export async function joinSeat(token: string, participantId?: string): Promise<JoinedSeat> {
  const seat = await postJson<JoinedSeat>("/api/sessions/join", {
    token,
    client_identity: clientIdentity(),
    ...(participantId ? { participant_id: participantId } : {}),
  });
  saveSeat(seat);
  return seat;
}

/** A join failure as a sentence for the person who pressed Join. */
export function joinErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return "Could not join. Please try again.";
  return JOIN_MESSAGES[error.status] ?? error.detail;
}
