/**
 * The seated room: the bar with the state, the countdown and "Details", notices, a call, the
 * conversation and the details panel. The room island loads it on demand (right after it
 * hydrates), so a visitor's first load is the lobby only.
 */
import { useSignal } from "@preact/signals";
import type { ComponentType } from "preact";
import { useEffect } from "preact/hooks";
import type { CallSession } from "../client/call/call_session.ts";
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
import { type ChatPart, useChatPart } from "./use_chat_part.ts";
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

/** The call code and its view (never in the room's first load; not where calls cannot work). */
async function loadCalls(
  chat: ChatSession,
): Promise<ChatPart<{ session: CallSession; View: CallViewType } | null>> {
  if (callsUnavailable()) return { value: null, dispose() {} };
  const [code, view] = await Promise.all([
    import("../client/call/call_session.ts"),
    import("./CallView.tsx"),
  ]);
  const session = new code.CallSession(chat.calls);
  return { value: { session, View: view.CallView }, dispose: () => session.dispose() };
}

/** The file code and its card, as the view ChatPanel takes. */
async function loadFiles(
  chat: ChatSession,
  limits: RoomModel["files"],
): Promise<ChatPart<FilesView>> {
  const [code, card] = await Promise.all([
    import("../client/files/transfers.ts"),
    import("./FileCard.tsx"),
  ]);
  const transfers = new code.FileTransfers(chat.files, limits);
  const value: FilesView = {
    attach: (list) => {
      for (const file of list) {
        const refusal = transfers.send(file);
        if (refusal) return refusal;
      }
      return null;
    },
    line: (message) => (
      <card.FileCard
        transfer={transfers.transfers.value.get(message.id)}
        name={message.text}
        onCancel={(id) => transfers.cancel(id)}
        onDelete={(id) => transfers.delete(id)}
      />
    ),
  };
  return { value, dispose: () => transfers.dispose() };
}

export function RoomScreen({ model, weakLink }: { model: RoomModel; weakLink: boolean }) {
  const sound = useSignal(soundPreference());
  const details = useSignal(false);
  const offline = useSignal(!navigator.onLine);
  const chat = model.chat.value;
  const phase = model.phase.value;
  const alerts = useBackgroundAlerts(model.chat, model.peerPresent);
  const call = useChatPart(model.chat, loadCalls);
  const files = useChatPart(model.chat, (chat) => loadFiles(chat, model.files));
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
