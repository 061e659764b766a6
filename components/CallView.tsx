/**
 * A call in progress (client/call/call_session.ts): the incoming call with "Accept" and "Decline"
 * (and a chime when the page is in the background), the outgoing ring, then the other person's
 * video (or their voice), the self view and the controls. Loaded on demand with the call code.
 */
import { useSignalEffect } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { CallSession } from "../client/call/call_session.ts";
import { chimeForIncoming } from "../client/notify_sound.ts";

function Media(
  { stream, muted, label, class: kind }: {
    stream: MediaStream | null;
    muted: boolean;
    label: string;
    class: string;
  },
) {
  const element = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (element.current && element.current.srcObject !== stream) {
      element.current.srcObject = stream;
    }
  }, [stream]);
  return <video ref={element} class={kind} autoPlay playsInline muted={muted} aria-label={label} />;
}

export function CallView({ call }: { call: CallSession }) {
  const state = call.state.value;
  const video = call.video.value;
  useSignalEffect(() => {
    if (call.state.value === "incoming" && document.hidden) chimeForIncoming(true);
  });
  if (state === "idle") return null;
  const kind = video ? "video call" : "voice call";
  const title = state === "incoming"
    ? `Incoming ${kind}`
    : state === "outgoing"
    ? `Calling… (${kind})`
    : video
    ? "Video call"
    : "Voice call";
  const peerState = [
    !call.peerMic.value && "They are muted.",
    video && !call.peerCam.value && "Their camera is off.",
  ].filter(Boolean).join(" ");
  return (
    <section class="card call" aria-labelledby="call-title" data-state={state}>
      <h2 id="call-title" role={state === "incoming" ? "alert" : undefined}>{title}</h2>
      {state === "active" && (
        <Media
          class={video ? "call-remote" : "call-audio"}
          stream={call.remote.value}
          muted={false}
          label="The other person"
        />
      )}
      {video && call.local.value && (
        <Media class="call-self" stream={call.local.value} muted label="You (self view)" />
      )}
      <p class="hint call-peer" role="status">{state === "active" ? peerState : ""}</p>
      <div class="call-controls">
        {state === "incoming" && (
          <>
            <button type="button" class="button button-primary" onClick={() => call.accept()}>
              Accept
            </button>
            <button type="button" class="button" onClick={() => call.decline()}>Decline</button>
          </>
        )}
        {state !== "incoming" && (
          <>
            <button type="button" class="button" onClick={() => call.toggleMic()}>
              {call.micOn.value ? "Mute" : "Unmute"}
            </button>
            {video && (
              <button type="button" class="button" onClick={() => call.toggleCamera()}>
                {call.camOn.value ? "Camera off" : "Camera on"}
              </button>
            )}
            {video && call.cameras.value > 1 && (
              <button
                type="button"
                class="button"
                onClick={() => call.switchCamera()}
              >
                Switch camera
              </button>
            )}
            <button type="button" class="button button-danger" onClick={() => call.hangUp()}>
              Hang up
            </button>
          </>
        )}
      </div>
      {call.notice.value && <p class="form-error" role="alert">{call.notice.value}</p>}
    </section>
  );
}
