/**
 * "Voice call" and "Video call" above the conversation. The call code loads on demand
 * (client/call/); until it has, and where calls cannot work, the buttons are disabled and say why.
 */
import type { CallSession } from "../client/call/call_session.ts";

/** Why calls are not offered in this page, or null when they are. */
export function callsUnavailable(): string | null {
  if (!globalThis.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    return "Calls need a secure connection: open this chat over https to call.";
  }
  return null;
}

export function CallBar({ call }: { call: CallSession | null }) {
  const unavailable = typeof window === "undefined" ? null : callsUnavailable();
  const why = unavailable ??
    (!call || call.canCall.value ? null : "Calls start once your devices are connected directly.");
  const idle = (call?.state.value ?? "idle") === "idle";
  const off = !call || why !== null || !idle;
  return (
    <div class="call-bar">
      <button
        type="button"
        class="button"
        disabled={off}
        aria-describedby={why ? "call-why" : undefined}
        onClick={() => call?.start(false)}
      >
        Voice call
      </button>
      <button
        type="button"
        class="button"
        disabled={off}
        aria-describedby={why ? "call-why" : undefined}
        onClick={() => call?.start(true)}
      >
        Video call
      </button>
      {why && <span class="hint" id="call-why">{why}</span>}
      {idle && call?.notice.value && <span class="hint" role="status">{call.notice.value}</span>}
    </div>
  );
}
