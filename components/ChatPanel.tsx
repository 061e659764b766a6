/**
 * The conversation: the message list (`role="log"`), what a screen reader hears of it
 * (Announcer.tsx), the typing line, the composer and the sound toggle beside it. It
 * takes the chat as a {@link ChatView} (client/chat/chat_session.ts's ChatSession fits it), or
 * null while there is no encrypted channel, when everything shows but stays disabled with the
 * reason in words.
 */
import type { ReadonlySignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import type { ChatMessage, ChatPath, SendRefusal } from "../client/chat/chat_session.ts";
import type { SafetyCode } from "../client/crypto/safety_code.ts";
import { useSignal } from "@preact/signals";
import { Announcer } from "./Announcer.tsx";
import { AttachFile } from "./AttachFile.tsx";
import { excerpt } from "./excerpt.ts";
import { Composer } from "./Composer.tsx";
import { MessageList } from "./MessageList.tsx";
import { focusComposer } from "./use_room_focus.ts";

export interface ChatView {
  messages: ReadonlySignal<ChatMessage[]>;
  path: ReadonlySignal<ChatPath>;
  safetyCode: ReadonlySignal<SafetyCode | null>;
  canSend: ReadonlySignal<boolean>;
  peerTyping: ReadonlySignal<boolean>;
  failure: ReadonlySignal<string | null>;
  send(text: string, re?: string): SendRefusal | null;
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
  /** The other person is connected now (else my messages wait for them). */
  peerHere: boolean;
  /** What an empty conversation shows instead of "No messages yet" (the host's invitation). */
  empty: ComponentChildren;
  sound: boolean;
  onSound(on: boolean): void;
  /** The call buttons (CallBar.tsx), above the conversation. */
  calls: ComponentChildren;
  /** Files (client/files/, loaded on demand), or null until they can be sent. */
  files: FilesView | null;
}

export interface FilesView {
  /** A file's line in the conversation (FileCard.tsx). */
  line(message: ChatMessage): ComponentChildren;
  /** Sends files; answers why one was not sent, or null. */
  attach(files: File[]): string | null;
}

const hasFiles = (data: DataTransfer | null) => !!data && [...data.types].includes("Files");

export function ChatPanel(props: ChatPanelProps) {
  const { chat, charLimit, disabledReason } = props;
  const enabled = chat !== null && chat.canSend.value && disabledReason === null;
  const messages = chat?.messages.value ?? [];
  const replyTo = useSignal<string | null>(null);
  const quoted = messages.find((message) => message.id === replyTo.value && !message.deleted);
  const fileNote = useSignal<string | null>(null);
  const files = enabled ? props.files : null;
  const attach = (list: File[]) => {
    if (files && list.length > 0) fileNote.value = files.attach(list);
  };
  return (
    <section
      class="card chat"
      aria-label="Conversation"
      // Files dropped on the conversation or pasted into it are sent like attached ones.
      onDragOver={(event) => {
        if (files && hasFiles(event.dataTransfer)) event.preventDefault();
      }}
      onDrop={(event) => {
        if (!files || !hasFiles(event.dataTransfer)) return;
        event.preventDefault();
        attach([...event.dataTransfer!.files]);
      }}
      onPaste={(event) => {
        const pasted = [...event.clipboardData?.files ?? []];
        if (!files || pasted.length === 0) return;
        event.preventDefault();
        attach(pasted);
      }}
    >
      {props.calls}
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
        messages={messages}
        peerHere={props.peerHere}
        empty={props.empty}
        onDelete={(id) => chat?.delete(id)}
        onRetry={(id) => chat?.retry(id)}
        onReply={(id) => {
          replyTo.value = id;
          focusComposer();
        }}
        onFocusLost={() => focusComposer()}
        fileLine={props.files?.line}
      />
      <Announcer messages={messages} />
      <p class="typing">
        {chat?.peerTyping.value ? "The other person is typing…" : ""}
      </p>
      <Composer
        charLimit={charLimit}
        disabled={!enabled}
        describedBy={disabledReason ? "chat-note" : undefined}
        replying={quoted
          ? `Replying to ${quoted.mine ? "yourself" : "them"}: “${excerpt(quoted.text)}”`
          : null}
        onCancelReply={() => replyTo.value = null}
        onSend={(text) => {
          // send() answers null when the message went out, or why it did not.
          const refusal = chat ? chat.send(text, quoted?.id) : "not_ready";
          if (refusal === null) replyTo.value = null;
          return refusal === null ? null : REFUSALS[refusal];
        }}
        onTyping={(on) => chat?.setTyping(on)}
        attach={props.files && <AttachFile disabled={!files} onFiles={attach} />}
      />
      {fileNote.value && <p class="form-error" role="alert">{fileNote.value}</p>}
      <label class="toggle chat-sound">
        <input
          type="checkbox"
          checked={props.sound}
          onChange={(event) => props.onSound(event.currentTarget.checked)}
        />
        Sound for new messages in the background
      </label>
    </section>
  );
}
