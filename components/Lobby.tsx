/** Before this tab holds a seat: what the chat is, and the Join button that takes a seat. */
import { describeDuration } from "../client/time_format.ts";

export interface LobbyProps {
  ttlSeconds: number;
  charLimit: number;
  joining: boolean;
  full: boolean;
  weakLink: boolean;
  error: string | null;
  /**
   * The page's script runs: until then Join would do nothing, so it is disabled (without
   * JavaScript the route's <noscript> says why).
   */
  ready: boolean;
  onJoin(): void;
}

export function Lobby(props: LobbyProps) {
  return (
    <section class="card lobby" aria-labelledby="lobby-title">
      <h1 id="lobby-title">You are invited to a private chat</h1>
      <p class="lead">
        It has two seats. Joining takes one; the countdown starts when both people are here, and the
        chat closes for both when it runs out.
      </p>
      <dl class="detail-list">
        <dt>Session length</dt>
        <dd>{describeDuration(props.ttlSeconds * 1000)}</dd>
        <dt>Characters per message</dt>
        <dd>{props.charLimit}</dd>
      </dl>
      {props.weakLink && (
        <p class="notice">
          This link has no secret part, so it has weaker protection: compare the safety code with
          the other person before sharing anything sensitive.
        </p>
      )}
      {props.error && <p class="form-error" role="alert">{props.error}</p>}
      <p>
        <button
          type="button"
          class="button button-primary"
          disabled={!props.ready || props.joining || props.full}
          aria-busy={props.joining ? "true" : undefined}
          onClick={props.onJoin}
        >
          Join
        </button>
      </p>
    </section>
  );
}
