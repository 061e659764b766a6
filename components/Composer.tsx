/**
 * The message field with a live character counter. It refuses to go past the cap (counted in
 * characters as people count them, i.e. code points). On a keyboard Enter sends and Shift+Enter
 * starts a new line; on a touch screen Enter starts a new line and the Send button sends, as in
 * the chat apps people know. After sending, the field keeps the focus for the next message.
 */
import type { ComponentChildren } from "preact";
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";

export interface ComposerProps {
  charLimit: number;
  disabled: boolean;
  /** Id of a note explaining why the composer is disabled. */
  describedBy?: string;
  /** Sends the text; null when it was accepted, else why not, in words. */
  onSend(text: string): string | null;
  /** The message being replied to, in words, or null. */
  replying?: string | null;
  onCancelReply?(): void;
  /** Typing started (true) or stopped (false); called at most every few seconds. */
  onTyping?(on: boolean): void;
  /** Beside Send: "Attach file" (AttachFile.tsx), where files can be sent. */
  attach?: ComponentChildren;
}

const TYPING_REPEAT_MS = 3000;

const codePoints = (text: string) => [...text];

/** A touch screen is the main pointer: its Enter key is for new lines. */
const touchFirst = () =>
  typeof matchMedia === "function" && matchMedia("(pointer: coarse)").matches;

export function Composer(props: ComposerProps) {
  const { charLimit, disabled, describedBy, onSend, onTyping } = props;
  const draft = useSignal("");
  const refusal = useSignal<string | null>(null);
  const lastTyping = useRef(0);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const count = codePoints(draft.value).length;
  const full = count >= charLimit;

  const input = (event: Event) => {
    const field = event.currentTarget as HTMLTextAreaElement;
    const chars = codePoints(field.value);
    const cut = chars.length > charLimit;
    if (cut) field.value = chars.slice(0, charLimit).join("");
    draft.value = field.value;
    // Said, not silent: a paste over the limit loses its end.
    refusal.value = cut ? `Cut to ${charLimit} characters, this chat's limit per message.` : null;
    const now = Date.now();
    if (onTyping && field.value && now - lastTyping.current > TYPING_REPEAT_MS) {
      lastTyping.current = now;
      onTyping(true);
    }
  };
  const send = (event?: Event) => {
    event?.preventDefault();
    if (disabled || !draft.value.trim()) return;
    refusal.value = onSend(draft.value);
    if (refusal.value === null) {
      draft.value = "";
      lastTyping.current = 0;
      textarea.current?.focus();
    }
  };
  const key = (event: KeyboardEvent) => {
    if (event.key === "Escape" && props.replying) props.onCancelReply?.();
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || touchFirst()) return;
    send(event);
  };

  return (
    <form class="composer" onSubmit={send}>
      <label for="composer-text" class="visually-hidden">Message</label>
      {props.replying && (
        <p class="replying" id="composer-replying">
          <span>{props.replying}</span>
          <button
            type="button"
            class="message-action"
            aria-label="Cancel reply"
            onClick={() => {
              props.onCancelReply?.();
              textarea.current?.focus();
            }}
          >
            ×
          </button>
        </p>
      )}
      <textarea
        id="composer-text"
        ref={textarea}
        rows={1}
        value={draft}
        disabled={disabled}
        placeholder={disabled ? "" : "Write a message"}
        aria-describedby={[props.replying && "composer-replying", "composer-count", describedBy]
          .filter(Boolean).join(" ")}
        onInput={input}
        onKeyDown={key}
      />
      {refusal.value && <p class="form-error" role="alert">{refusal.value}</p>}
      <div class="composer-row">
        <span id="composer-count" class="char-count" data-full={full ? "" : undefined}>
          {`${count} of ${charLimit} characters`}
        </span>
        <span class="visually-hidden" aria-live="polite">
          {full ? "Character limit reached." : ""}
        </span>
        {props.attach}
        <button
          type="submit"
          class="button button-primary"
          disabled={disabled || !draft.value.trim()}
        >
          Send
        </button>
      </div>
    </form>
  );
}
