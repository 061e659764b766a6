/** How messages travel: "Direct" (peer to peer) or "Relayed" (through the server, still sealed). */
import type { ChatPath } from "../client/chat/chat_session.ts";

const LABELS: Record<ChatPath, string> = {
  connecting: "Finding a path…",
  direct: "Direct",
  relayed: "Relayed",
};

export function PathIndicator({ path }: { path: ChatPath | null }) {
  return (
    <span class="path" data-path={path ?? "none"}>
      {path ? LABELS[path] : "Not yet"}
    </span>
  );
}
