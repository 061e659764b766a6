/** The messages of the conversation, newest last; each of your own has a "Delete" button. */
import { useEffect, useRef } from "preact/hooks";
import type { ChatMessage } from "../client/chat/chat_session.ts";

export interface MessageListProps {
  messages: ChatMessage[];
  onDelete(id: string): void;
}

// Made once when the island loads: the first use of a locale's date data costs tens of
// milliseconds, which would otherwise delay the first message on both screens.
const clockTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const time = (at: number) => clockTime.format(at);

export function MessageList({ messages, onDelete }: MessageListProps) {
  const log = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Follow the conversation unless the reader scrolled up to read older messages.
    const element = log.current;
    if (element && element.scrollHeight - element.scrollTop - element.clientHeight < 120) {
      element.scrollTop = element.scrollHeight;
    }
  }, [messages.length]);
  return (
    <div
      ref={log}
      class="message-log"
      role="log"
      aria-live="polite"
      aria-label="Chat history"
      tabIndex={0}
    >
      {messages.length === 0
        ? <p class="message-empty">No messages yet. They are never stored anywhere.</p>
        : (
          <ul class="message-list">
            {messages.map((message) => (
              <li key={message.id} class={message.mine ? "message message-mine" : "message"}>
                <span class="visually-hidden">{message.mine ? "You: " : "Them: "}</span>
                <span class="message-text">{message.text}</span>
                <span class="message-meta">
                  <time dateTime={new Date(message.at).toISOString()}>{time(message.at)}</time>
                  {message.mine && <span>{message.delivered ? "Delivered" : "Sending…"}</span>}
                  {message.mine && (
                    <button
                      type="button"
                      class="message-delete"
                      onClick={() => onDelete(message.id)}
                    >
                      Delete
                    </button>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
