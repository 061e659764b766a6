/**
 * A file in the conversation: its name, size and progress on both sides, then "Save" (and a
 * preview of a picture, decoded here from the checked bytes) for the receiver, "Sent" for the
 * sender; "Cancel" while it travels, "Delete" for the sender afterwards. Why it ended without the
 * file is said in words.
 */
import { formatBytes } from "../client/files/sizes.ts";
import { PREVIEWABLE, type Transfer } from "../client/files/transfers.ts";

export interface FileCardProps {
  transfer: Transfer | undefined;
  /** The line's name when the transfer is gone (the chat code reloaded). */
  name: string;
  onCancel(id: string): void;
  onDelete(id: string): void;
}

const STATES = {
  preparing: "Preparing…",
  sending: "Sending…",
  receiving: "Receiving…",
  checking: "Checking…",
};

export function FileCard({ transfer, name, onCancel, onDelete }: FileCardProps) {
  if (!transfer) return <span class="file-name">{name}</span>;
  const { id, state, size, mine } = transfer;
  const moving = state !== "done" && state !== "ended";
  const label = `${transfer.name}, ${formatBytes(size)}`;
  return (
    <span class="file-card">
      {state === "done" && transfer.url && PREVIEWABLE.has(transfer.mime) && (
        <img class="file-preview" src={transfer.url} alt={`Picture: ${transfer.name}`} />
      )}
      <span class="file-name">{transfer.name}</span>
      <span class="file-size">{formatBytes(size)}</span>
      {moving && (
        <span class="file-progress">
          <progress
            max={size || 1}
            value={transfer.bytes}
            aria-label={`${transfer.name}: ${mine ? "sent" : "received"}`}
          />
          <span role="status">{STATES[state]}</span>
        </span>
      )}
      {state === "ended" && <span class="file-ended" role="status">{transfer.why}</span>}
      <span class="file-actions">
        {moving && (
          <button
            type="button"
            class="message-action"
            aria-label={`Cancel ${label}`}
            onClick={() => onCancel(id)}
          >
            Cancel
          </button>
        )}
        {state === "done" && mine && <span class="file-sent">Sent</span>}
        {state === "done" && !mine && transfer.url && (
          <a class="button file-save" href={transfer.url} download={transfer.name}>
            Save<span class="visually-hidden">{` ${label}`}</span>
          </a>
        )}
        {mine && !moving && (
          <button
            type="button"
            class="message-action"
            aria-label={`Delete ${label}`}
            onClick={() => onDelete(id)}
          >
            Delete
          </button>
        )}
      </span>
    </span>
  );
}
