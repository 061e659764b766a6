/**
 * The seated room: the bar with the state, the countdown and "Details", notices, a call, the
 * conversation and the details panel. The room island loads it on demand (right after it
 * hydrates), so a visitor's first load is the lobby only.
 */
import { useSignal, useSignalEffect } from "@preact/signals";
import type { ComponentType } from "preact";
import { useEffect } from "preact/hooks";
import type { CallSession } from "../client/call/call_session.ts";
import type { FileTransfers } from "../client/files/transfers.ts";
import type { ChatSession } from "../client/chat/chat_session.ts";
import { fallbackNotice } from "../client/crypto/primitives.ts";
import { setSoundPreference, soundPreference } from "../client/notify_sound.ts";
import type { RoomModel } from "../client/room_model.ts";
import { timeLeftWarning } from "../client/time_format.ts";
import { CallBar, callsUnavailable } from "./CallBar.tsx";
import { ChatPanel, type FilesView } from "./ChatPanel.tsx";
import { Countdown } from "./Countdown.tsx";
import { RoomDetails } from "./RoomDetails.tsx";
import { SafetyCheck } from "./SafetyCheck.tsx";
import { canNotify, useBackgroundAlerts } from "./use_background_alerts.ts";
import { useLazy } from "./use_lazy.ts";

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

type CallViewType = ComponentType<{ call: CallSession }>;

/** The call code and its view, loaded once the chat exists (never in the room's first load). */
function useCalls(model: RoomModel) {
  const call = useSignal<{ session: CallSession; View: CallViewType } | null>(null);
  useSignalEffect(() => {
    const chat = model.chat.value;
    if (!chat || callsUnavailable()) return;
    let session: CallSession | null = null;
    let live = true;
    Promise.all([import("../client/call/call_session.ts"), import("../components/CallView.tsx")])
      .then(([code, view]) => {
        if (!live) return;
        session = new code.CallSession(chat.calls);
        call.value = { session, View: view.CallView };
      });
    return () => {
      live = false;
      session?.dispose();
      call.value = null;
    };
  });
  return call.value;
}

/** The file code and its card, loaded once the chat exists; the view ChatPanel takes. */
function useFiles(model: RoomModel): FilesView | null {
  const files = useSignal<FilesView | null>(null);
  useSignalEffect(() => {
    const chat = model.chat.value;
    if (!chat) return;
    let transfers: FileTransfers | null = null;
    let live = true;
    Promise.all([import("../client/files/transfers.ts"), import("./FileCard.tsx")])
      .then(([code, card]) => {
        if (!live) return;
        const own = transfers = new code.FileTransfers(chat.files, model.files);
        files.value = {
          attach: (list) => {
            for (const file of list) {
              const refusal = own.send(file);
              if (refusal) return refusal;
            }
            return null;
          },
          line: (message) => (
            <card.FileCard
              transfer={own.transfers.value.get(message.id)}
              name={message.text}
              onCancel={(id) => own.cancel(id)}
              onDelete={(id) => own.delete(id)}
            />
          ),
        };
      });
    return () => {
      live = false;
      transfers?.dispose();
      files.value = null;
    };
  });
  return files.value;
}

export function RoomScreen({ model, weakLink }: { model: RoomModel; weakLink: boolean }) {
  const sound = useSignal(soundPreference());
  const details = useSignal(false);
  const offline = useSignal(!navigator.onLine);
  const chat = model.chat.value;
  const phase = model.phase.value;
  const alerts = useBackgroundAlerts(model.chat, model.peerPresent);
  const call = useCalls(model);
  const files = useFiles(model);
  const inviting = phase === "waiting" && model.role.value === "host";
  const Invite = useLazy(
    inviting,
    () => import("./InviteCard.tsx").then((m) => m.InviteCard),
  );
  useEffect(() => {
    const network = () => offline.value = !navigator.onLine;
    const escape = (event: KeyboardEvent) => {
      if (event.key === "Escape" && details.value) details.value = false;
    };
    addEventListener("online", network);
    addEventListener("offline", network);
    addEventListener("keydown", escape);
    return () => {
      removeEventListener("online", network);
      removeEventListener("offline", network);
      removeEventListener("keydown", escape);
    };
  }, []);

  const [state, tone] = offline.value ? ["You are offline", "off"] : stateOf(model);
  // Without a link secret the comparison comes first, until this person has made it.
  const urgent = weakLink && !chat?.verified.value;
  const safety = <SafetyCheck chat={chat} weakLink={weakLink} />;
  // No call buttons alone (nobody to call) or during a call (its own view has the controls).
  const inCall = call !== null && call.session.state.value !== "idle";
  const peer = model.peerPresent.value ? "here" : phase === "waiting" ? "not_joined" : "away";
  return (
    <>
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
        <p class="time-warning">
          {timeLeftWarning(model.remainingMs.value ?? 0)}: the chat closes for both at 0:00.
        </p>
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
      {call && <call.View call={call.session} />}
      <div class="room-joined">
        <ChatPanel
          calls={model.peerPresent.value && !inCall && <CallBar call={call?.session ?? null} />}
          chat={chat}
          files={files}
          charLimit={model.charLimit}
          disabledReason={chatNote(model, chat)}
          peerHere={model.peerPresent.value}
          empty={inviting && Invite ? <Invite /> : null}
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
    </>
  );
}
