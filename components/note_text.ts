/** What each note in the conversation says (client/chat/conversation.ts adds them). */
import type { ConversationNote } from "../client/chat/conversation.ts";

const NOTES: Record<ConversationNote, string> = {
  away: "The connection to the other person was lost. Your messages wait until it is back.",
  back: "Connected again.",
  code_changed:
    "The safety code changed with the reconnection: compare it with the other person again.",
};

export const noteText = (note: ConversationNote): string => NOTES[note];
