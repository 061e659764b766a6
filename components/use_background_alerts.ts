/**
 * What reaches a person whose chat page is in the background: the tab's title counts their
 * unread messages (and says when the other person joined), an optional chime (notify_sound.ts),
 * and, when the person opted in, a system notification. A notification never carries message
 * text: it shows on lock screens and in notification histories that outlive the chat.
 */
import { type ReadonlySignal, useSignal, useSignalEffect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { ChatMessage } from "../client/chat/conversation.ts";
import { chimeForIncoming } from "../client/notify_sound.ts";

/** Whether this browser can show notifications here (they need a secure context). */
export const canNotify = () =>
  typeof Notification === "function" && globalThis.isSecureContext === true;

export function useBackgroundAlerts(
  chat: ReadonlySignal<{ messages: ReadonlySignal<ChatMessage[]> } | null>,
  peerPresent: ReadonlySignal<boolean>,
) {
  const notify = useSignal(false);
  const seen = useRef(0);
  const unread = useRef(0);
  const joined = useRef(false);
  const original = useRef("");

  const alert = (what: string) => {
    if (!document.hidden) return;
    const count = unread.current;
    const news = count > 0 ? `(${count}) ${count === 1 ? "New message" : "New messages"}` : what;
    document.title = `${news} · ${original.current}`;
    if (notify.peek() && Notification.permission === "granted") {
      new Notification("ChatOrbit", { body: what, tag: "chatorbit", silent: true });
    }
  };

  useEffect(() => {
    original.current = document.title;
    const visible = () => {
      if (document.hidden) return;
      unread.current = 0;
      joined.current = false;
      document.title = original.current;
    };
    document.addEventListener("visibilitychange", visible);
    return () => {
      document.removeEventListener("visibilitychange", visible);
      document.title = original.current;
    };
  }, []);

  useSignalEffect(() => {
    const list = chat.value?.messages.value ?? [];
    const fresh = list.slice(seen.current).filter((m) =>
      !m.mine && !m.note && !m.deleted && !m.restored
    );
    seen.current = list.length;
    if (fresh.length === 0) return;
    chimeForIncoming();
    if (document.hidden) unread.current += fresh.length;
    alert(fresh.length === 1 ? "New message" : `${fresh.length} new messages`);
  });

  const wasPresent = useRef(false);
  useSignalEffect(() => {
    const present = peerPresent.value;
    if (present && !wasPresent.current && document.hidden && !joined.current) {
      joined.current = true;
      alert("The other person joined");
    }
    wasPresent.current = present;
  });

  const setNotify = async (on: boolean) => {
    if (on && Notification.permission !== "granted") {
      on = (await Notification.requestPermission()) === "granted";
    }
    notify.value = on;
  };
  return { notify, setNotify };
}
