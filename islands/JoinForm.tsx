/**
 * The "Join chat" form: a bare token or a whole pasted link. Hydrated, it takes a seat through the
 * API (a person pressed Join, so claiming one is right) and opens the room with the link's
 * secret; without JavaScript the server redirects to the room, where Join is one press away.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { parseJoinInput, sessionPath } from "../client/share_link.ts";
import { Field } from "../components/Field.tsx";

export interface JoinFormProps {
  value: string;
  error: string | null;
}

export default function JoinForm(props: JoinFormProps) {
  const [value, setValue] = useState(props.value);
  const [error, setError] = useState(props.error);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLFormElement>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    root.current!.dataset.ready = "";
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const parsed = parseJoinInput(value);
    if (!parsed) {
      setError(
        value.trim()
          ? "That is neither a token nor a ChatOrbit link."
          : "Enter the token or paste the whole link.",
      );
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    // The join code loads on demand, keeping the landing page's first load light.
    const seats = await import("../client/seat.ts").catch(() => null);
    try {
      if (!seats) throw new Error("The page could not load.");
      await seats.joinSeat(parsed.token);
      location.assign(sessionPath(parsed.token) + (parsed.fragment ? `#${parsed.fragment}` : ""));
    } catch (problem) {
      setError(seats ? seats.joinErrorMessage(problem) : "The page could not load. Reload it.");
      input.current?.focus();
      setBusy(false);
    }
  }

  return (
    <form
      ref={root}
      method="post"
      action="/"
      aria-label="Join chat"
      onSubmit={submit}
      class="join-form"
    >
      <input type="hidden" name="intent" value="join" />
      <Field
        id="join-token"
        label="Link or token"
        error={error ?? undefined}
        hint="Paste the whole link you were sent, or just its token."
      >
        {(describedBy) => (
          <input
            ref={input}
            id="join-token"
            name="token"
            type="text"
            required
            autoComplete="off"
            autoCapitalize="off"
            spellcheck={false}
            value={value}
            onInput={(event) => setValue(event.currentTarget.value)}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <button type="submit" class="button button-wide" disabled={busy}>Join</button>
    </form>
  );
}
