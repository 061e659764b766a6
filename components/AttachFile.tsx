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
        Attach file
      </button>
    </>
  );
}
