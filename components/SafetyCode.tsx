/** The safety code both people compare, in the element screen readers and tests look for. */
import type { SafetyCode as Code } from "../client/crypto/safety_code.ts";

export function SafetyCode({ code }: { code: Code | null }) {
  return (
    <div
      class="safety-code"
      role="group"
      aria-label="Safety code"
      data-empty={code ? undefined : ""}
    >
      {code
        ? (
          <>
            <span class="safety-emoji" aria-hidden="true">{code.emoji.join(" ")}</span>
            <span class="safety-words">{code.words.join(" · ")}</span>
            <span class="safety-digits">{code.digits}</span>
          </>
        )
        : "Appears once your two devices have exchanged keys."}
    </div>
  );
}
