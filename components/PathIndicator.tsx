/** How messages travel: "Direct" (peer to peer) or "Relayed" (through the server, still sealed). */
import type { ChatPath } from "../client/chat/chat_session.ts";

const LABELS: Record<ChatPath, string> = {
  connecting: "Finding a path…",
  direct: "Direct",
  relayed: "Relayed",
};

/** `alone`: nobody else is here, so there is no path to look for yet. */
export function PathIndicator({ path, alone }: { path: ChatPath | null; alone: boolean }) {
  return (
    <span class="path" data-path={path ?? "none"}>
      {alone ? "Waiting for the other person" : path ? LABELS[path] : "Not yet"}
    </span>
  );
}
