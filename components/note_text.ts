/** What each note in the conversation says (client/chat/conversation.ts adds them). */
import type { ConversationNote } from "../client/chat/conversation.ts";

const NOTES: Record<ConversationNote, string> = {
  joined: "You are both here. Messages go end to end encrypted and are never stored.",
  away: "The connection to the other person was lost. Your messages wait until it is back.",
  back: "Connected again.",
  restored: "Restored after a reload: the other device's copy of your conversation (it sent " +
    "it back; compare the safety code to be sure it is them).",
  code_changed:
    "The safety code changed with the reconnection: compare it with the other person again.",
};

export const noteText = (note: ConversationNote): string => NOTES[note];
