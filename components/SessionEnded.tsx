/** The screen after a session: why it ended, and a way to start another. */
import type { EndReason } from "../contract/session.ts";
import type { Phase } from "../client/room_phase.ts";

export interface SessionEndedProps {
  phase: Phase;
  reason: EndReason | null;
  byMe: boolean;
  /** This tab held a seat in it (else it is someone opening an old link). */
  seated: boolean;
}

function wording({ phase, reason, byMe, seated }: SessionEndedProps): [string, string] {
  if (phase === "missing") {
    return ["This chat does not exist", "The link may be mistyped, or the chat was removed."];
  }
  if (phase === "expired") {
    return ["This link has expired", "It was not used before its validity ran out."];
  }
  if (!seated) {
    return ["This chat has ended", "Its link cannot be used any more."];
  }
  if (reason === "ended") {
    return byMe
      ? ["You ended the chat", "The conversation is closed on both screens."]
      : ["The other person ended the chat", "The conversation is closed on both screens."];
  }
  return ["Time is up", "The session reached its end, so the chat closed for both of you."];
}

export function SessionEnded(props: SessionEndedProps) {
  const [title, text] = wording(props);
  return (
    <section class="card ended" aria-labelledby="ended-title">
      <h1 id="ended-title" tabIndex={-1}>{title}</h1>
      <p>{text}{props.seated && " Nothing of it was stored."}</p>
      <a class="button button-primary" href="/">Create a new chat link</a>
    </section>
  );
}
