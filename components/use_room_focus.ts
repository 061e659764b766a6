/**
 * Where keyboard focus goes as the room changes under it, so it never falls to the page body:
 * after Join and when the chat becomes usable, to the message field (or the room's title while
 * the field is still disabled); when the chat is over, to the heading that says why.
 */
import { useSignalEffect } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { RoomModel } from "../client/room_model.ts";

/** Focuses the message field when it can take focus; else `fallbackId`, if given. */
export function focusComposer(fallbackId?: string): void {
  const field = document.getElementById("composer-text") as HTMLTextAreaElement | null;
  if (field && !field.disabled) field.focus();
  else if (fallbackId) document.getElementById(fallbackId)?.focus();
}

/** Focus is nowhere in particular (the body), or on a heading it was parked on. */
const adrift = () => {
  const active = document.activeElement;
  return !active || active === document.body || active.id === "room-title";
};

export function useRoomFocus(model: RoomModel): void {
  const wasSeated = useRef(model.seated.peek());
  useSignalEffect(() => {
    const seated = model.seated.value;
    const joined = seated && !wasSeated.current;
    wasSeated.current = seated;
    const over = model.phase.value === "ended" || model.phase.value === "expired" ||
      model.phase.value === "missing";
    const ready = model.chat.value?.canSend.value ?? false;
    // After the render that shows the new state.
    requestAnimationFrame(() => {
      if (over) document.getElementById("ended-title")?.focus();
      else if (joined) focusComposer("room-title");
      else if (ready && adrift()) focusComposer();
    });
  });
}
