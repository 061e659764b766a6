/** "End chat" with a confirmation in a modal dialog (the native one: focus trap and Escape free). */
import { useRef } from "preact/hooks";

export function EndChatDialog({ onConfirm }: { onConfirm(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        class="button button-danger button-wide"
        onClick={() => dialog.current?.showModal()}
      >
        End chat
      </button>
      <dialog ref={dialog} aria-labelledby="end-title" aria-describedby="end-text">
        <h2 id="end-title">End this chat for both of you?</h2>
        <p id="end-text">
          The conversation closes on both screens right away and the link stops working.
        </p>
        <div class="dialog-actions">
          <button type="button" class="button" autofocus onClick={() => dialog.current?.close()}>
            Keep chatting
          </button>
          <button
            type="button"
            class="button button-danger-solid"
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            End for both
          </button>
        </div>
      </dialog>
    </>
  );
}
