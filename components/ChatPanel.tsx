/**
 * The conversation: message list (`role="log"`, a polite live region), and the composer. It
 * takes the chat as a {@link ChatView} (client/chat/chat_session.ts's ChatSession fits it), or
 * null while there is no encrypted channel, when everything shows but stays disabled with the
 * reason in words.
 */
import type { ReadonlySignal } from "@preact/signals";
import type { ChatMessage, ChatPath, SendRefusal } from "../client/chat/chat_session.ts";
import type { SafetyCode } from "../client/crypto/safety_code.ts";
import { Composer } from "./Composer.tsx";
import { MessageList } from "./MessageList.tsx";

export interface ChatView {
  messages: ReadonlySignal<ChatMessage[]>;
  path: ReadonlySignal<ChatPath>;
  safetyCode: ReadonlySignal<SafetyCode | null>;
  canSend: ReadonlySignal<boolean>;
  peerTyping: ReadonlySignal<boolean>;
  failure: ReadonlySignal<string | null>;
  send(text: string): SendRefusal | null;
  delete(id: string): void;
  retry(id: string): void;
  setTyping(on: boolean): void;
}

const REFUSALS: Record<SendRefusal, string> = {
  invisible: "This message has no visible character, so it was not sent.",
  too_long: "This message is too long.",
  not_ready: "The chat is not ready to send yet.",
};

export interface ChatPanelProps {
  chat: ChatView | null;
  charLimit: number;
  /** Why the chat cannot be used right now, or null when it can. */
  disabledReason: string | null;
}

export function ChatPanel({ chat, charLimit, disabledReason }: ChatPanelProps) {
  const enabled = chat !== null && chat.canSend.value && disabledReason === null;
  return (
    <section class="card chat" aria-label="Conversation">
      {disabledReason && (
        <p
          class="chat-note"
          id="chat-note"
          data-alert={chat?.failure.value ? "" : undefined}
          role={chat?.failure.value ? "alert" : undefined}
        >
          {disabledReason}
        </p>
      )}
      <MessageList
        messages={chat?.messages.value ?? []}
        onDelete={(id) => chat?.delete(id)}
        onRetry={(id) => chat?.retry(id)}
      />
      <p class="typing" aria-live="polite">
        {chat?.peerTyping.value ? "The other person is typing…" : ""}
      </p>
      <Composer
        charLimit={charLimit}
        disabled={!enabled}
        describedBy={disabledReason ? "chat-note" : undefined}
        onSend={(text) => {
          // send() answers null when the message went out, or why it did not.
          const refusal = chat ? chat.send(text) : "not_ready";
          return refusal === null ? null : REFUSALS[refusal];
        }}
        onTyping={(on) => chat?.setTyping(on)}
      />
    </section>
  );
}
