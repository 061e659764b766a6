/**
 * The chat's lifetime, for the room model: a ChatSession exactly while this tab holds a seat in a
 * live session. Its end (time up, ended, or leaving the page) disposes it, so the conversation and
 * its keys are forgotten.
 *
 * The chat engine (keys, the direct link, the message rules) is a chunk of its own: the lobby and
 * the bar need none of it, and it loads while the page hydrates and the socket connects (the frame
 * port keeps the signals that come before it). Once per page.
 */
import { effect, type ReadonlySignal, type Signal } from "@preact/signals";
import type { Role } from "../contract/session.ts";
import type { ChatSession, ChatSessionOptions } from "./chat/chat_session.ts";

let engine: Promise<typeof import("./chat/chat_session.ts")> | null = null;
const loadChat = () =>
  engine ??= import("./chat/chat_session.ts").catch((error) => {
    // Not loaded (the network blinked): the next call tries again.
    engine = null;
    throw error;
  });
const ENGINE_RETRY_MS = 3000;

/**
 * Keeps `chat` in step with `seatedRole`: a session made with `options(role)` while it is a role,
 * none while it is null. The engine starts loading at once, before anyone sits down. Returns the
 * cleanup, which disposes the current session.
 */
export function ownChat(
  chat: Signal<ChatSession | null>,
  seatedRole: ReadonlySignal<Role | null>,
  options: (role: Role) => ChatSessionOptions,
): () => void {
  loadChat().catch(() => {});
  return effect(() => {
    const role = seatedRole.value;
    if (!role) return;
    let session: ChatSession | null = null;
    let gone = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const attach = () =>
      loadChat().then(({ ChatSession }) => {
        if (gone) return;
        session = new ChatSession(options(role));
        chat.value = session;
      }, () => {
        if (!gone) retry = setTimeout(attach, ENGINE_RETRY_MS);
      });
    attach();
    return () => {
      gone = true;
      clearTimeout(retry);
      session?.dispose();
      chat.value = null;
    };
  });
}
