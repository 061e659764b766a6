/**
 * The session room. It binds the room model (client/room_model.ts) to markup: the lobby with its
 * Join button, then the bar with state and countdown, the conversation and the side panel, and
 * at the end the reason the chat closed. Opening the page never takes a seat.
 */
import { useSignal } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
import type { ChatSession } from "../client/chat/chat_session.ts";
import { parseLinkSecret } from "../client/crypto/link_secret.ts";
import { fallbackNotice } from "../client/crypto/primitives.ts";
import { setSoundPreference, soundPreference } from "../client/notify_sound.ts";
import { RoomModel } from "../client/room_model.ts";
import type { RoomInit } from "../client/room_init.ts";
import { ChatPanel } from "../components/ChatPanel.tsx";
import { Countdown } from "../components/Countdown.tsx";
import { InviteCard } from "../components/InviteCard.tsx";
import { Lobby } from "../components/Lobby.tsx";
import { RoomDetails } from "../components/RoomDetails.tsx";
import { SafetyCheck } from "../components/SafetyCheck.tsx";
import { SessionEnded } from "../components/SessionEnded.tsx";
import { canNotify, useBackgroundAlerts } from "../components/use_background_alerts.ts";
import { useRoomFocus } from "../components/use_room_focus.ts";

export type RoomProps = RoomInit;

/** Why the composer is disabled, in words, or null when it is usable. */
function chatNote(model: RoomModel, chat: ChatSession | null): string | null {
  if (chat?.failure.value) return chat.failure.value;
  if (model.phase.value === "replaced") {
    return "This chat is open in another tab or window now. Press “Use it here” to write from this one.";
  }
  if (chat?.canSend.value) return null;
  if (model.phase.value === "waiting") {
    return "You can write once the other person joins and your devices exchange keys.";
  }
  return "Exchanging keys…";
}

function stateOf(model: RoomModel): [string, "ok" | "wait" | "off"] {
  if (model.connection.value === "reconnecting") return ["Reconnecting…", "off"];
  switch (model.phase.value) {
    case "connecting":
      return ["Connecting…", "wait"];
    case "waiting":
      return ["Waiting for the other person", "wait"];
    case "replaced":
      return ["Open in another tab", "off"];
    default:
      return model.peerPresent.value ? ["Connected", "ok"] : ["The other person is away", "wait"];
  }
}

export default function Room(props: RoomProps) {
  const model = useMemo(() => new RoomModel(props), []);
  const root = useRef<HTMLDivElement>(null);
  const weakLink = useSignal(false);
  const sound = useSignal(false);
  const details = useSignal(false);
  const offline = useSignal(false);
  const chat = model.chat.value;
  const alerts = useBackgroundAlerts(model.chat, model.peerPresent);
  useRoomFocus(model);

  useEffect(() => {
    weakLink.value = parseLinkSecret(location.hash) === null;
    sound.value = soundPreference();
    offline.value = !navigator.onLine;
    const network = () => offline.value = !navigator.onLine;
    addEventListener("online", network);
    addEventListener("offline", network);
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
      removeEventListener("online", network);
      removeEventListener("offline", network);
      removeEventListener("pagehide", hide);
      removeEventListener("pageshow", show);
      stop();
      model.dispose();
    };
  }, []);

  const phase = model.phase.value;

  if (model.over) {
    return (
      <div ref={root} class="room">
        <SessionEnded phase={phase} reason={model.endReason.value} byMe={model.endedByMe.value} />
      </div>
    );
  }
  if (!model.seated.value) {
    return (
      <div ref={root} class="room">
        <Lobby
          ttlSeconds={model.ttlSeconds}
          charLimit={model.charLimit}
          joining={phase === "joining"}
          full={phase === "full"}
          weakLink={weakLink.value}
          error={model.error.value}
          onJoin={() => model.join()}
        />
      </div>
    );
  }

  const [state, tone] = offline.value ? ["You are offline", "off"] : stateOf(model);
  // Without a link secret the comparison comes first, until this person has made it.
  const urgent = weakLink.value && !chat?.verified.value;
  const safety = <SafetyCheck chat={chat} weakLink={weakLink.value} />;
  const peer = model.peerPresent.value ? "here" : phase === "waiting" ? "not_joined" : "away";
  return (
    <div
      ref={root}
      class="room room-live"
      onKeyDown={(event) => {
        if (event.key === "Escape" && details.value) details.value = false;
      }}
    >
      <header class="card room-bar">
        <h1 class="room-title" id="room-title" tabIndex={-1}>Private chat</h1>
        <span class="state-pill" data-tone={tone}>{state}</span>
        <Countdown
          remainingMs={model.remainingMs}
          lastMinutes={model.lastMinutes}
          ttlSeconds={model.ttlSeconds}
        />
        <button
          type="button"
          class="button details-toggle"
          aria-expanded={details.value ? "true" : "false"}
          aria-controls="room-details"
          onClick={() => details.value = !details.value}
        >
          {details.value ? "Close details" : "Details"}
        </button>
      </header>
      {model.lastMinutes.value && (
        <p class="time-warning">Less than five minutes left: the chat closes for both at 0:00.</p>
      )}
      {phase === "replaced" && (
        <p class="notice">
          This chat is now open in another tab or window.{" "}
          <button type="button" class="button" onClick={() => model.retake()}>Use it here</button>
        </p>
      )}
      {model.error.value && <p class="form-error" role="alert">{model.error.value}</p>}
      {fallbackNotice.value && <p class="notice" id="insecure-origin">{fallbackNotice.value}</p>}
      {urgent && safety}
      <div class="room-joined">
        <ChatPanel
          chat={chat}
          charLimit={model.charLimit}
          disabledReason={chatNote(model, chat)}
          peerHere={model.peerPresent.value}
          empty={phase === "waiting" && model.role.value === "host" ? <InviteCard /> : null}
          sound={sound.value}
          onSound={(on) => {
            sound.value = on;
            setSoundPreference(on);
          }}
        />
        <RoomDetails
          open={details.value}
          role={model.role.value}
          meOnline={model.connection.value === "open"}
          peer={peer}
          path={chat?.path.value ?? null}
          safety={!urgent && safety}
          notify={canNotify() ? { on: alerts.notify.value, set: alerts.setNotify } : null}
          onEnd={() => model.end()}
        />
      </div>
    </div>
  );
}
