/**
 * The room's details: who is here, the connection path, the safety code (unless it is shown
 * first because the link has no secret), notifications and "End chat". Beside the conversation on
 * wide screens; on a phone a panel opened from the room's bar, so the conversation keeps the screen.
 */
import type { ComponentChildren } from "preact";
import type { ChatPath } from "../client/chat/chat_session.ts";
import type { Role } from "../contract/session.ts";
import { EndChatDialog } from "./EndChatDialog.tsx";
import { PathIndicator } from "./PathIndicator.tsx";

export interface RoomDetailsProps {
  open: boolean;
  role: Role | null;
  meOnline: boolean;
  peer: "here" | "away" | "not_joined";
  path: ChatPath | null;
  /** The safety check, when it belongs here. */
  safety: ComponentChildren;
  /** Null where notifications are not available (insecure origin, no API). */
  notify: { on: boolean; set(on: boolean): void } | null;
  onEnd(): void;
}

const PEER = { here: "Here", away: "Away", not_joined: "Not joined yet" };

export function RoomDetails(props: RoomDetailsProps) {
  return (
    <aside
      id="room-details"
      class="side"
      aria-label="Session details"
      data-open={props.open ? "" : undefined}
    >
      <section class="card" aria-labelledby="people-title">
        <h2 id="people-title">People</h2>
        <ul class="people">
          <li>
            <span>{`You (${props.role ?? "…"})`}</span>
            <span class="presence" data-online={props.meOnline ? "" : undefined}>
              {props.meOnline ? "Here" : "Connecting…"}
            </span>
          </li>
          <li>
            <span>The other person</span>
            <span class="presence" data-online={props.peer === "here" ? "" : undefined}>
              {PEER[props.peer]}
            </span>
          </li>
        </ul>
        <dl class="detail-list">
          <dt>Connection path</dt>
          <dd>
            <PathIndicator path={props.path} alone={props.peer !== "here"} />
          </dd>
        </dl>
      </section>
      {props.safety}
      <section class="card" aria-label="Notifications and end">
        {props.notify && (
          <label class="toggle">
            <input
              type="checkbox"
              checked={props.notify.on}
              onChange={(event) => props.notify!.set(event.currentTarget.checked)}
            />
            Notify me when they join or write while this page is in the background (without the
            message text)
          </label>
        )}
        <EndChatDialog onConfirm={props.onEnd} />
      </section>
    </aside>
  );
}
