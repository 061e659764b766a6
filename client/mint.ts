/**
 * The mint form's shapes, shared by the server (form posts) and the browser (mint_browser.ts):
 * its values, its per-field errors in words, and the finished link.
 */

export type MintField = "validity_period" | "session_ttl_minutes" | "message_char_limit";
export type MintValues = Record<MintField, string>;
/** Problems in words, keyed by the field they concern ("form" for the rest). */
export type FieldErrors = Partial<Record<MintField | "form", string>>;

export interface MintResult {
  token: string;
  link: string;
  validityExpiresAt: string;
  sessionMinutes: number;
  messageCharLimit: number;
  /** Links made with JavaScript carry a secret in the fragment; server-made ones cannot. */
  hasSecret: boolean;
  /** A server-drawn QR code (no-JavaScript case); the browser draws its own otherwise. */
  qr: { size: number; path: string } | null;
}

export const FIELD_NAMES: Record<MintField, string> = {
  validity_period: "Validity",
  session_ttl_minutes: "Session length",
  message_char_limit: "Characters per message",
};

/** "session_ttl_minutes must be at most 1440." -> "Session length must be at most 1440." */
export function humanize(message: string): string {
  let text = message;
  for (const [field, name] of Object.entries(FIELD_NAMES)) text = text.replaceAll(field, name);
  return text;
}
