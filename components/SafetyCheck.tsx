/**
 * "Is it really them?": the safety code, this person's own "The codes match", and what the other
 * side claims. Only this person's button marks this side verified; the other side's word is shown
 * as theirs, because a server in the middle could send it. Without a link secret the code is the
 * only protection, so the room shows this card first, with a warning, until it is done.
 */
import type { ReadonlySignal } from "@preact/signals";
import type { SafetyCode as Code } from "../client/crypto/safety_code.ts";
import { SafetyCode } from "./SafetyCode.tsx";
import { focusComposer } from "./use_room_focus.ts";

export interface SafetyCheckProps {
  chat: {
    safetyCode: ReadonlySignal<Code | null>;
    verified: ReadonlySignal<boolean>;
    peerVerified: ReadonlySignal<boolean>;
    confirmVerified(): void;
  } | null;
  weakLink: boolean;
}

export function SafetyCheck({ chat, weakLink }: SafetyCheckProps) {
  const code = chat?.safetyCode.value ?? null;
  const mine = chat?.verified.value;
  const urgent = weakLink && !mine;
  return (
    <section class={urgent ? "card safety-urgent" : "card"} aria-labelledby="safety-title">
      <h2 id="safety-title">Is it really them?</h2>
      {urgent && (
        <p class="notice">
          This link has no secret part: comparing this code is your only protection against a server
          in the middle. Compare it before you write anything sensitive.
        </p>
      )}
      <p class="hint">
        Compare it with the other person, by voice or side by side. If the two differ, end the chat.
      </p>
      <SafetyCode code={code} />
      {code && (mine
        ? (
          <p class="verified" id="safety-verified" role="status" tabIndex={-1}>
            Verified: the codes match.
          </p>
        )
        : (
          <button
            type="button"
            class="button"
            onClick={() => {
              chat!.confirmVerified();
              // The button is gone: the person goes on writing (or reads the result).
              requestAnimationFrame(() => focusComposer("safety-verified"));
            }}
          >
            The codes match
          </button>
        ))}
      {code && chat!.peerVerified.value && (
        <p class="hint" role="status">
          {mine
            ? "They say so too."
            : "They say the codes match. Only your own comparison counts: check them yourself."}
        </p>
      )}
    </section>
  );
}
