/**
 * What a screen reader hears of the conversation: what the other person wrote, their deletions and
 * what happened to the chat, once each, in a polite live region. Never your own messages or their
 * delivery, and never the typing indicator (which would speak on every burst).
 */
import { useRef } from "preact/hooks";
import type { ChatMessage } from "../client/chat/conversation.ts";
import { displayText } from "../client/chat/text_rules.ts";
import { noteText } from "./note_text.ts";

function said(message: ChatMessage, before: ChatMessage | undefined): string | null {
  if (message.note) return before ? null : noteText(message.note);
  if (message.deleted) return before?.deleted || message.mine ? null : "They deleted a message.";
  if (message.mine || message.restored || before || message.to !== undefined) return null;
  return `Them: ${displayText(message.text)}`;
}

export function Announcer({ messages }: { messages: ChatMessage[] }) {
  const known = useRef(new Map<string, ChatMessage>());
  const last = useRef("");
  const lines: string[] = [];
  for (const message of messages) {
    const line = said(message, known.current.get(message.id));
    if (line) lines.push(line);
  }
  known.current = new Map(messages.map((message) => [message.id, message]));
  // A render with nothing new keeps what was said, so it is not read again or cut off.
  if (lines.length) last.current = lines.join("\n");
  return <div class="visually-hidden" aria-live="polite">{last.current}</div>;
}
