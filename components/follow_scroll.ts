/**
 * The conversation's one scroller follows the newest message, as chat apps do, unless the reader
 * has scrolled up to read older ones: then new messages are counted for a "New messages" button
 * instead of pulling the page away from what is being read. Sending always jumps down.
 */
import { useSignal } from "@preact/signals";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";

/** How close to the bottom (px) still counts as reading the newest message. */
const AT_BOTTOM_PX = 48;

export function useFollowScroll(count: number, lastIsMine: boolean) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const known = useRef(count);
  const unseen = useSignal(0);

  const toBottom = () => {
    const element = box.current;
    if (element) element.scrollTop = element.scrollHeight;
    following.current = true;
    unseen.value = 0;
  };
  const onScroll = () => {
    const element = box.current!;
    following.current =
      element.scrollHeight - element.scrollTop - element.clientHeight < AT_BOTTOM_PX;
    if (following.current) unseen.value = 0;
  };

  useLayoutEffect(() => {
    const added = count - known.current;
    known.current = count;
    if (added <= 0) return;
    if (following.current || lastIsMine) toBottom();
    else unseen.value += added;
  }, [count]);

  // The box shrinks when a phone's keyboard opens or a notice appears, and its content grows when
  // a picture finishes loading: keep the newest in view.
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || typeof ResizeObserver !== "function") return;
    observer.current = new ResizeObserver(() => {
      // With no message yet the box holds the invitation, which is read from its top.
      if (following.current && known.current > 0) element.scrollTop = element.scrollHeight;
    });
    observer.current.observe(element);
    return () => observer.current?.disconnect();
  }, []);
  useEffect(() => {
    // The list inside appears with the first message (observing it again changes nothing).
    const list = box.current?.firstElementChild;
    if (list) observer.current?.observe(list);
  }, [count > 0]);

  return { box, onScroll, unseen, toBottom };
}
