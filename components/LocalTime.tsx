/**
 * A moment in the viewer's own time zone. The server cannot know that zone, so it writes UTC and
 * the browser rewrites the text once it runs.
 */
import { useEffect, useState } from "preact/hooks";

/** A stable UTC rendering for the server (the viewer's zone is only known in the browser). */
function formatUtc(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(new Date(iso)) + " UTC";
}

/** The viewer's own time zone and locale. */
function formatLocal(iso: string): string {
  // dateStyle cannot be combined with timeZoneName, hence the separate fields.
  return new Intl.DateTimeFormat(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));
}

export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState(() => formatUtc(iso));
  useEffect(() => setText(formatLocal(iso)), [iso]);
  return <time dateTime={iso}>{text}</time>;
}
