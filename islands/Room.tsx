/**
 * The session room. It binds the room model (client/room_model.ts) to markup: the lobby with its
 * Join button, then the bar with state and countdown, the conversation and the side panel, and
 * at the end the reason the chat closed. Opening the page never takes a seat.
 */
import { useSignal, useSignalEffect } from "@preact/signals";
import { useEffect, useMemo, useRef } from "preact/hooks";
import type { ChatSession } from "../client/chat/chat_session.ts";
import { parseLinkSecret } from "../client/crypto/link_secret.ts";
import { fallbackNotice } from "../client/crypto/primitives.ts";
import { chimeForIncoming, setSoundPreference, soundPreference } from "../client/notify_sound.ts";
import { RoomModel } from "../client/room_model.ts";
import type { RoomInit } from "../client/room_init.ts";
import { ChatPanel, type ChatView } from "../components/ChatPanel.tsx";
import { Countdown } from "../components/Countdown.tsx";
import { EndChatDialog } from "../components/EndChatDialog.tsx";
import { Lobby } from "../components/Lobby.tsx";
import { PathIndicator } from "../components/PathIndicator.tsx";
import { SafetyCheck } from "../components/SafetyCheck.tsx";
import { SessionEnded } from "../components/SessionEnded.tsx";

export type RoomProps = RoomInit;

/** Why the composer is disabled, in words, or null when it is usable. */
function chatNote(model: RoomModel, chat: ChatSession | null): string | null {
  if (chat?.failure.value) return chat.failure.value;
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

/** Chimes for each new incoming message (when sound is on and the page is not focused). */
function useIncomingChime(chat: ChatView | null) {
  const seen = useRef(0);
  useSignalEffect(() => {
    const messages = chat?.messages.value ?? [];
    if (messages.slice(seen.current).some((message) => !message.mine)) chimeForIncoming();
    seen.current = messages.length;
  });
}

export default function Room(props: RoomProps) {
  const model = useMemo(() => new RoomModel(props), []);
  const root = useRef<HTMLDivElement>(null);
  const weakLink = useSignal(false);
  const sound = useSignal(false);
  const chat = model.chat.value;
  useIncomingChime(chat);

  useEffect(() => {
    weakLink.value = parseLinkSecret(location.hash) === null;
    sound.value = soundPreference();
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
  useEffect(() => {
    if (model.over) document.getElementById("ended-title")?.focus();
  }, [phase]);

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

  const [state, tone] = stateOf(model);
  // Without a link secret the comparison comes first, until this person has made it.
  const urgent = weakLink.value && !chat?.verified.value;
  const safety = <SafetyCheck chat={chat} weakLink={weakLink.value} />;
  return (
    <div ref={root} class="room">
      <div class="card room-bar">
        <h1 class="room-title">Private chat</h1>
        <span class="state-pill" data-tone={tone} role="status">{state}</span>
        <Countdown
          remainingMs={model.remainingMs}
          lastMinutes={model.lastMinutes}
          ttlSeconds={model.ttlSeconds}
        />
      </div>
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
        <ChatPanel chat={chat} charLimit={model.charLimit} disabledReason={chatNote(model, chat)} />
        <aside class="side" aria-label="Session details">
          <section class="card" aria-labelledby="people-title">
            <h2 id="people-title">People</h2>
            <ul class="people">
              <li>
                <span>{`You (${model.role.value ?? "…"})`}</span>
                <span
                  class="presence"
                  data-online={model.connection.value === "open" ? "" : undefined}
                >
                  {model.connection.value === "open" ? "Here" : "Connecting…"}
                </span>
              </li>
              <li>
                <span>The other person</span>
                <span class="presence" data-online={model.peerPresent.value ? "" : undefined}>
                  {model.peerPresent.value
                    ? "Here"
                    : phase === "waiting"
                    ? "Not joined yet"
                    : "Away"}
                </span>
              </li>
            </ul>
            <dl class="detail-list">
              <dt>Connection path</dt>
              <dd>
                <PathIndicator path={chat?.path.value ?? null} />
              </dd>
            </dl>
          </section>
          {!urgent && safety}
          <section class="card" aria-label="Settings and end">
            <label class="toggle">
              <input
                type="checkbox"
                checked={sound.value}
                onChange={(event) => {
                  sound.value = event.currentTarget.checked;
                  setSoundPreference(sound.value);
                }}
              />
              Sound for new messages (only while this page is in the background)
            </label>
            <EndChatDialog onConfirm={() => model.end()} />
          </section>
        </aside>
      </div>
    </div>
  );
}
