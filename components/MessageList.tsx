/**
 * The messages of the conversation in their senders' order; each of your own has a "Delete"
 * button, and "Retry" once it failed. Their messages that never arrived leave a note in their
 * place. Each text sits in a `<bdi>` (its direction isolated from everything around it) inside a
 * bubble that clips what it paints (styles.css), so no message can disguise or cover another.
 */
import { useEffect, useRef } from "preact/hooks";
import type { ChatMessage } from "../client/chat/chat_session.ts";
import { displayText } from "../client/chat/text_rules.ts";

export interface MessageListProps {
  messages: ChatMessage[];
  onDelete(id: string): void;
  onRetry(id: string): void;
}

const DELIVERY = { sending: "Sending…", delivered: "Delivered", failed: "Not delivered" };

// Made once when the island loads: the first use of a locale's date data costs tens of
// milliseconds, which would otherwise delay the first message on both screens.
const clockTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const time = (at: number) => clockTime.format(at);

export function MessageList({ messages, onDelete, onRetry }: MessageListProps) {
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
            {messages.map((message) => {
              const missing = message.to === undefined ? 0 : message.to - message.n! + 1;
              if (missing) {
                return (
                  <li key={message.id} class="message-gap">
                    {missing === 1
                      ? "A message from them did not arrive."
                      : `${missing} messages from them did not arrive.`}
                  </li>
                );
              }
              return (
                <li key={message.id} class={message.mine ? "message message-mine" : "message"}>
                  <span class="visually-hidden">{message.mine ? "You: " : "Them: "}</span>
                  <bdi class="message-text">{displayText(message.text)}</bdi>
                  <span class="message-meta">
                    {message.late && <span>Arrived late</span>}
                    <time dateTime={new Date(message.at).toISOString()}>{time(message.at)}</time>
                    {message.delivery && <span>{DELIVERY[message.delivery]}</span>}
                    {message.delivery === "failed" && (
                      <button
                        type="button"
                        class="message-delete"
                        onClick={() => onRetry(message.id)}
                      >
                        Retry
                      </button>
                    )}
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
              );
            })}
          </ul>
        )}
    </div>
  );
}
