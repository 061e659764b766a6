/**
 * The session room. It binds the room model (client/room_model.ts) to markup: the lobby with its
 * Join button, then the seated screen (components/RoomScreen.tsx, loaded on demand right after
 * hydration), and at the end the reason the chat closed. Opening the page never takes a seat.
 */
import { useSignal } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { parseLinkSecret } from "../client/crypto/link_secret.ts";
import { RoomModel } from "../client/room_model.ts";
import type { RoomInit } from "../client/room_init.ts";
import { Lobby } from "../components/Lobby.tsx";
import { SessionEnded } from "../components/SessionEnded.tsx";
import { useLazy } from "../components/use_lazy.ts";
import { useRoomFocus } from "../components/use_room_focus.ts";

export type RoomProps = RoomInit;

export default function Room(props: RoomProps) {
  const model = useMemo(() => new RoomModel(props), []);
  const root = useRef<HTMLDivElement>(null);
  const weakLink = useSignal(false);
  const ready = useSignal(false);
  useRoomFocus(model);
  // Fetched as soon as the island runs, so it is there by the time Join is pressed.
  const Screen = useLazy(
    ready.value,
    () => import("../components/RoomScreen.tsx").then((m) => m.RoomScreen),
  );

  useEffect(() => {
    weakLink.value = parseLinkSecret(location.hash) === null;
    ready.value = true;
    let stop = model.start();
    // Close the socket when the page is hidden for good or frozen in the back-forward cache,
    // and subscribe again if it comes back from there.
    const hide = () => {
      stop();
      stop = () => {};
    };
    const show = (event: PageTransitionEvent) => {
      if (event.persisted) stop = model.start();
    };
    addEventListener("pagehide", hide);
    addEventListener("pageshow", show);
    root.current!.dataset.ready = "";
    return () => {
      removeEventListener("pagehide", hide);
      removeEventListener("pageshow", show);
      stop();
      model.dispose();
    };
  }, []);

  const phase = model.phase.value;
  const seated = model.seated.value && !model.over;
  return (
    <div ref={root} class={seated ? "room room-live" : "room"}>
      {model.over
        ? (
          <SessionEnded
            phase={phase}
            reason={model.endReason.value}
            byMe={model.endedByMe.value}
            seated={model.role.value !== null}
          />
        )
        : !seated
        ? (
          <Lobby
            ttlSeconds={model.ttlSeconds}
            charLimit={model.charLimit}
            joining={phase === "joining"}
            full={phase === "full"}
            weakLink={weakLink.value}
            error={model.error.value}
            ready={ready.value}
            onJoin={() => model.join()}
          />
        )
        : Screen
        ? <Screen model={model} weakLink={weakLink.value} />
        : <p class="hint" role="status">Opening the chat…</p>}
    </div>
  );
}
