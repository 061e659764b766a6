/**
 * A moment in the viewer's own time zone. The server cannot know that zone, so it writes UTC and
 * the browser rewrites the text once it runs.
 */
import { useEffect, useState } from "preact/hooks";
import { formatLocal, formatUtc } from "../client/time_format.ts";

export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState(() => formatUtc(iso));
  useEffect(() => setText(formatLocal(iso)), [iso]);
  return <time dateTime={iso}>{text}</time>;
}
