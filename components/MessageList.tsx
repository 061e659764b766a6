/**
 * The conversation in its senders' order, in one scroller that follows the newest message
 * (follow_scroll.ts). Runs of messages from one sender are grouped; links are clickable, never
 * previewed; deleted messages and what happened to the conversation are lines of their own.
 *
 * Each of your own messages has "Delete" (named after the message it deletes), which waits a
 * moment with "Undo" before it deletes on both screens, and "Retry" once it failed. Each text sits
 * in a `<bdi>` (its direction isolated from everything around it) inside a bubble that clips what
 * it paints (styles.css), so no message can disguise or cover another.
 *
 * The log itself is not a live region: Announcer.tsx reads out only what the other person wrote
 * and what happened, never your own messages or their delivery.
 */
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { ChatMessage } from "../client/chat/conversation.ts";
import { missingCount } from "../client/chat/conversation.ts";
import { excerpt } from "./excerpt.ts";
import { useFollowScroll } from "./follow_scroll.ts";
import { MessageText } from "./MessageText.tsx";
import { noteText } from "./note_text.ts";

export interface MessageListProps {
  messages: ChatMessage[];
  /** The other person is connected: unacknowledged messages are on their way, not waiting. */
  peerHere: boolean;
  /** Shown instead of "No messages yet" while there are none. */
  empty?: ComponentChildren;
  onDelete(id: string): void;
  onRetry(id: string): void;
  /** Reply to message `id` (the composer then quotes it). */
  onReply(id: string): void;
  /** Where focus goes when the element that had it disappears (the composer). */
  onFocusLost(): void;
  /** A file's line (FileCard.tsx); without it, its name. */
  fileLine?: (message: ChatMessage) => ComponentChildren;
}

const DELIVERY = { sending: "Sending…", delivered: "Delivered", failed: "Not delivered" };
/** How long "Undo" is offered before a deletion goes out. */
const UNDO_MS = 4_000;
/** Messages of one sender closer together than this form one run. */
const RUN_GAP_MS = 5 * 60_000;

// Made once when the island loads: the first use of a locale's date data costs tens of
// milliseconds, which would otherwise delay the first message on both screens.
const clockTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const time = (at: number) => clockTime.format(at);

const isBubble = (m: ChatMessage | undefined) => m && !m.note && !m.deleted && !missingCount(m);

/** The message a reply answers, from this side's own copy (a peer cannot put words in it). */
function Quote({ of }: { of: ChatMessage | undefined }) {
  const readable = of && !of.deleted && !of.note;
  return (
    <span class="message-quote">
      <span class="visually-hidden">In reply to</span>
      {readable
        ? <>{of.mine ? "You" : "Them"}: {excerpt(of.text, 80)}</>
        : "A message that is no longer shown"}
    </span>
  );
}

export function MessageList(props: MessageListProps) {
  const { messages, onDelete, onRetry, onFocusLost } = props;
  const byId = new Map(messages.map((message) => [message.id, message]));
  const delivery = (state: keyof typeof DELIVERY) =>
    state === "sending" && !props.peerHere ? "Waiting for them" : DELIVERY[state];
  const { box, onScroll, unseen, toBottom } = useFollowScroll(
    messages.length,
    messages.at(-1)?.mine ?? false,
  );
  const pending = useSignal<ReadonlySet<string>>(new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  const focusSoon = (selector: string) =>
    requestAnimationFrame(() => box.current?.querySelector<HTMLElement>(selector)?.focus());
  const setPending = (id: string, on: boolean) => {
    const next = new Set(pending.value);
    if (on) next.add(id);
    else next.delete(id);
    pending.value = next;
  };
  const askDelete = (id: string) => {
    setPending(id, true);
    focusSoon(`[data-undo="${CSS.escape(id)}"]`);
    timers.current.set(
      id,
      setTimeout(() => {
        timers.current.delete(id);
        const hadFocus = document.activeElement?.closest(`[data-id="${CSS.escape(id)}"]`);
        setPending(id, false);
        onDelete(id);
        if (hadFocus) onFocusLost();
      }, UNDO_MS),
    );
  };
  const undo = (id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setPending(id, false);
    focusSoon(`[data-delete="${CSS.escape(id)}"]`);
  };

  return (
    <div class="message-log-frame">
      <div
        ref={box}
        class="message-log"
        role="log"
        aria-live="off"
        aria-label="Chat history"
        tabIndex={0}
        onScroll={onScroll}
      >
        {messages.length === 0
          ? props.empty ||
            <p class="message-empty">No messages yet. They are never stored anywhere.</p>
          : (
            <ul class="message-list">
              {messages.map((message, index) => {
                const missing = missingCount(message);
                if (missing) {
                  return (
                    <li key={message.id} class="message-line message-gap">
                      {missing === 1
                        ? "A message from them did not arrive."
                        : `${missing} messages from them did not arrive.`}
                    </li>
                  );
                }
                if (message.note) {
                  return <li key={message.id} class="message-line">{noteText(message.note)}</li>;
                }
                if (message.deleted) {
                  return (
                    <li key={message.id} class="message-line">
                      {message.mine ? "You deleted a message." : "They deleted a message."}
                    </li>
                  );
                }
                if (message.file) {
                  return (
                    <li
                      key={message.id}
                      data-id={message.id}
                      class={message.mine
                        ? "message message-mine message-file"
                        : "message message-file"}
                    >
                      <span class="visually-hidden">{message.mine ? "You: " : "Them: "}</span>
                      {props.fileLine?.(message) ?? message.text}
                    </li>
                  );
                }
                const previous = messages[index - 1];
                const continues = isBubble(previous) && previous!.mine === message.mine &&
                  message.at - previous!.at < RUN_GAP_MS;
                const deleting = pending.value.has(message.id);
                return (
                  <li
                    key={message.id}
                    data-id={message.id}
                    class={message.mine ? "message message-mine" : "message"}
                    data-run={continues ? "" : undefined}
                  >
                    <span class="visually-hidden">{message.mine ? "You: " : "Them: "}</span>
                    {message.re && <Quote of={byId.get(message.re)} />}
                    {deleting
                      ? <span class="message-text message-deleting">Deleting…</span>
                      : <MessageText text={message.text} />}
                    <span class="message-meta">
                      {message.restored && <span>Restored</span>}
                      {message.late && <span>Arrived late</span>}
                      <time dateTime={new Date(message.at).toISOString()}>{time(message.at)}</time>
                      {message.delivery && !deleting && (
                        <span class="message-delivery">{delivery(message.delivery)}</span>
                      )}
                      {message.delivery === "failed" && !deleting && (
                        <button
                          type="button"
                          class="message-action"
                          onClick={() => onRetry(message.id)}
                        >
                          Retry
                        </button>
                      )}
                      {!deleting && !message.restored && (
                        <button
                          type="button"
                          class="message-action"
                          aria-label={`Reply to “${excerpt(message.text)}”`}
                          onClick={() => props.onReply(message.id)}
                        >
                          Reply
                        </button>
                      )}
                      {message.mine && !message.restored && (deleting
                        ? (
                          <button
                            type="button"
                            class="message-action"
                            data-undo={message.id}
                            onClick={() => undo(message.id)}
                          >
                            Undo
                          </button>
                        )
                        : (
                          <button
                            type="button"
                            class="message-action"
                            data-delete={message.id}
                            aria-label={`Delete “${excerpt(message.text)}”`}
                            onClick={() => askDelete(message.id)}
                          >
                            Delete
                          </button>
                        ))}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
      </div>
      {unseen.value > 0 && (
        <button type="button" class="button new-messages" onClick={toBottom}>
          {unseen.value === 1 ? "1 new message" : `${unseen.value} new messages`} ↓
        </button>
      )}
    </div>
  );
}
