/**
 * The "Create chat link" form. Without JavaScript it posts to the server, which answers with the
 * result page; hydrated, it mints through the API, gives the link its secret and shows the result
 * (components/ShareResult.tsx, loaded on demand).
 *
 * Plain hooks rather than signals, and the result view loaded lazily: the landing page must stay
 * under 10 KB of script.
 */
import type { ComponentType } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { CHAR_LIMIT, SESSION_MINUTES } from "../contract/limits.ts";
import { formatMinutes, SESSION_QUICK_PICKS, VALIDITY_OPTIONS } from "../client/mint_choices.ts";
import type { FieldErrors, MintField, MintResult, MintValues } from "../client/mint.ts";
import { Field } from "../components/Field.tsx";
import type { ShareResultProps } from "../components/ShareResult.tsx";

export interface MintFormProps {
  values: MintValues;
  errors: FieldErrors;
}

const IDS: Record<MintField, string> = {
  validity_period: "mint-validity",
  session_ttl_minutes: "mint-minutes",
  message_char_limit: "mint-chars",
};

type Minted = { result: MintResult; View: ComponentType<ShareResultProps> };

export default function MintForm(props: MintFormProps) {
  const [values, setValues] = useState(props.values);
  const [errors, setErrors] = useState(props.errors);
  const [minted, setMinted] = useState<Minted | null>(null);
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setReady(true);
    root.current!.dataset.ready = "";
  }, []);

  const set = (field: MintField, value: string) => setValues({ ...values, [field]: value });
  const onInput = (field: MintField) => (event: Event) =>
    set(field, (event.currentTarget as HTMLInputElement).value);
  const invalid = (field: MintField) => errors[field] ? "true" : undefined;

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const [mint, view] = await Promise.all([
        import("../client/mint_browser.ts"),
        import("../components/ShareResult.tsx"),
      ]);
      setMinted({ result: await mint.mintInBrowser(values), View: view.ShareResult });
    } catch (problems) {
      const found = problems instanceof Error
        ? { form: "The page could not load. Reload and try again." }
        : problems as FieldErrors;
      setErrors(found);
      const first = (Object.keys(IDS) as MintField[]).find((field) => found[field]);
      if (first) document.getElementById(IDS[first])?.focus();
    } finally {
      setBusy(false);
    }
  }

  function reset(event: MouseEvent) {
    event.preventDefault();
    setMinted(null);
    requestAnimationFrame(() => document.getElementById(IDS.validity_period)?.focus());
  }

  if (minted) {
    return (
      <div ref={root} class="mint">
        <minted.View result={minted.result} interactive onReset={reset} />
      </div>
    );
  }
  return (
    <div ref={root} class="mint">
      <form method="post" action="/" aria-label="Create chat link" onSubmit={submit}>
        <input type="hidden" name="intent" value="mint" />
        <Field
          id={IDS.validity_period}
          label="Valid for"
          error={errors.validity_period}
          hint="How long the link can be used to start the chat."
        >
          {(describedBy) => (
            <select
              id={IDS.validity_period}
              name="validity_period"
              value={values.validity_period}
              onChange={onInput("validity_period")}
              aria-invalid={invalid("validity_period")}
              aria-describedby={describedBy}
            >
              {VALIDITY_OPTIONS.map(([value, label]) => (
                <option key={value} value={value}>{label}</option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={IDS.session_ttl_minutes}
          label="Session length (minutes)"
          error={errors.session_ttl_minutes}
          hint="The countdown starts when the second person joins. 1 to 1440 minutes."
        >
          {(describedBy) => (
            <>
              <input
                id={IDS.session_ttl_minutes}
                name="session_ttl_minutes"
                type="number"
                inputMode="numeric"
                required
                step={1}
                min={SESSION_MINUTES.min}
                max={SESSION_MINUTES.max}
                list={ready ? undefined : "mint-picks"}
                value={values.session_ttl_minutes}
                onInput={onInput("session_ttl_minutes")}
                aria-invalid={invalid("session_ttl_minutes")}
                aria-describedby={describedBy}
              />
              {ready
                ? (
                  <div class="chips" role="group" aria-label="Quick picks">
                    {SESSION_QUICK_PICKS.map((minutes) => (
                      <button
                        type="button"
                        class="chip"
                        aria-pressed={values.session_ttl_minutes === String(minutes)}
                        onClick={() => set("session_ttl_minutes", String(minutes))}
                      >
                        {formatMinutes(minutes)}
                      </button>
                    ))}
                  </div>
                )
                : (
                  <datalist id="mint-picks">
                    {SESSION_QUICK_PICKS.map((minutes) => <option key={minutes} value={minutes} />)}
                  </datalist>
                )}
            </>
          )}
        </Field>
        <Field
          id={IDS.message_char_limit}
          label="Characters per message"
          error={errors.message_char_limit}
          hint="From 200 to 16000."
        >
          {(describedBy) => (
            <input
              id={IDS.message_char_limit}
              name="message_char_limit"
              type="number"
              inputMode="numeric"
              required
              step={1}
              min={CHAR_LIMIT.min}
              max={CHAR_LIMIT.max}
              value={values.message_char_limit}
              onInput={onInput("message_char_limit")}
              aria-invalid={invalid("message_char_limit")}
              aria-describedby={describedBy}
            />
          )}
        </Field>
        {errors.form && <p class="form-error" role="alert">{errors.form}</p>}
        <button type="submit" class="button button-primary button-wide" disabled={busy}>
          Create chat link
        </button>
      </form>
    </div>
  );
}
