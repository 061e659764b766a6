/**
 * "Attach file": a real button that opens the file picker (the input itself stays hidden, so the
 * button looks and focuses like the others). Dropping and pasting files are handled by the
 * conversation around it (ChatPanel.tsx); all three end in `onFiles`.
 */
import { useRef } from "preact/hooks";

export function AttachFile(
  { disabled, onFiles }: { disabled: boolean; onFiles(files: File[]): void },
) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        multiple
        onChange={(event) => {
          const field = event.currentTarget;
          onFiles([...field.files ?? []]);
          field.value = "";
        }}
      />
      <button
        type="button"
        class="button attach-file"
        disabled={disabled}
        onClick={() => input.current?.click()}
      >
        {/* A paperclip: the composer row stays one line on a 360 px phone. */}
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            d="M21 11.5 12.5 20a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        <span class="visually-hidden">Attach file</span>
      </button>
    </>
  );
}
