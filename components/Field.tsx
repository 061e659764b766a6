/**
 * A labelled form field with its hint and its error in words; the control itself is the child,
 * given the ids it needs through `describedBy`.
 */
import type { ComponentChildren } from "preact";

export interface FieldProps {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string;
  children: (describedBy: string | undefined) => ComponentChildren;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={error ? "field field-invalid" : "field"}>
      <label for={id}>{label}</label>
      {children(ids || undefined)}
      {error && <p id={`${id}-error`} class="field-error">{error}</p>}
      {hint && <p id={`${id}-hint`} class="hint">{hint}</p>}
    </div>
  );
}
