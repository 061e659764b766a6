/**
 * Code that belongs to one chat and loads on demand (calls, files): made once the chat exists,
 * disposed with it (or at once, when the chat went while it loaded). Null until then.
 */
import type { ReadonlySignal } from "@preact/signals";
import { useSignal, useSignalEffect } from "@preact/signals";
import type { ChatSession } from "../client/chat/chat_session.ts";

export interface ChatPart<T> {
  value: T;
  dispose(): void;
}

export function useChatPart<T>(
  chat: ReadonlySignal<ChatSession | null>,
  load: (chat: ChatSession) => Promise<ChatPart<T>>,
): T | null {
  const part = useSignal<T | null>(null);
  useSignalEffect(() => {
    const current = chat.value;
    if (!current) return;
    let live = true;
    let made: ChatPart<T> | null = null;
    load(current).then((loaded) => {
      if (!live) return loaded.dispose();
      made = loaded;
      part.value = loaded.value;
    });
    return () => {
      live = false;
      made?.dispose();
      part.value = null;
    };
  });
  return part.value;
}
