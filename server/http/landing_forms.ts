/**
 * The landing page's form posts, for browsers without JavaScript: mint a token or go to a session.
 * They apply the same rules as the API (same schema, same hourly allowance) and report problems
 * per field in words.
 */
import type { Deps } from "../deps.ts";
import { mintRequestSchema } from "../domain/tokens.ts";
import { AppError } from "../errors.ts";
import { readCappedBody } from "../http/body_limit.ts";
import { parseJoinInput, sessionPath, shareLink } from "../../client/share_link.ts";
import { CHAR_LIMIT } from "../../contract/limits.ts";
import { DEFAULT_SESSION_MINUTES } from "../../client/mint_choices.ts";
import { qrShape } from "../../client/qr.ts";
import {
  FIELD_NAMES,
  type FieldErrors,
  humanize,
  type MintField,
  type MintResult,
  type MintValues,
} from "../../client/mint.ts";

export const DEFAULT_MINT_VALUES: MintValues = {
  validity_period: "1_day",
  session_ttl_minutes: String(DEFAULT_SESSION_MINUTES),
  message_char_limit: String(CHAR_LIMIT.default),
};

/** Longest text a form field may echo back into the page (a whole pasted link fits). */
const ECHO_MAX_CHARS = 512;

/** The posted form, read under the body cap (a chunked body included); unreadable -> empty. */
export async function readForm(request: Request): Promise<FormData> {
  const bytes = await readCappedBody(request);
  const type = request.headers.get("content-type") ?? "";
  return await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } })
    .formData()
    .catch(() => new FormData());
}

/** A field's text, trimmed and cut to what the page may show again. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim().slice(0, ECHO_MAX_CHARS) : "";
}

export function mintValues(form: FormData): MintValues {
  return {
    validity_period: formText(form, "validity_period"),
    session_ttl_minutes: formText(form, "session_ttl_minutes"),
    message_char_limit: formText(form, "message_char_limit"),
  };
}

const asNumber = (text: string) => text === "" ? undefined : Number(text);

export type MintOutcome =
  | { ok: true; result: MintResult }
  | { ok: false; status: number; errors: FieldErrors };

/** `path` under CHAT_PUBLIC_URL, or `path` alone (relative): the Host header is never trusted. */
export function publicHref(publicUrl: string | null, path: string): string {
  return publicUrl === null ? path : `${publicUrl}${path}`;
}

/**
 * Mints from form values on behalf of `address`; never throws for a person's mistake. The link is
 * absolute only under CHAT_PUBLIC_URL; otherwise it is the bare path and no QR code is drawn (a
 * code of a path opens nothing on a phone).
 */
export async function mintFromForm(
  deps: Deps,
  values: MintValues,
  address: string,
): Promise<MintOutcome> {
  const parsed = mintRequestSchema.safeParse({
    validity_period: values.validity_period,
    session_ttl_minutes: asNumber(values.session_ttl_minutes),
    message_char_limit: asNumber(values.message_char_limit),
  });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form") as MintField | "form";
      const message = issue.code === "invalid_type" && field !== "form"
        ? `${FIELD_NAMES[field]} must be a whole number.`
        : humanize(issue.message);
      errors[field] ??= message;
    }
    return { ok: false, status: 422, errors };
  }
  try {
    const minted = await deps.sessions.mint(parsed.data, address);
    return { ok: true, result: mintResult(deps, minted) };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, status: error.status, errors: { form: error.detail } };
    }
    throw error;
  }
}

/** What the result shows of a minted token (without a link secret: the server never has one). */
export function mintResult(
  deps: Deps,
  minted: {
    token: string;
    validity_expires_at: string;
    session_ttl_seconds: number;
    message_char_limit: number;
  },
): MintResult {
  const publicUrl = deps.config.publicUrl;
  const link = shareLink(publicUrl ?? "", minted.token, null);
  return {
    token: minted.token,
    link,
    validityExpiresAt: minted.validity_expires_at,
    sessionMinutes: minted.session_ttl_seconds / 60,
    messageCharLimit: minted.message_char_limit,
    hasSecret: false,
    qr: publicUrl === null ? null : qrShape(link),
  };
}

/** Where the join form leads: the session path (any pasted secret is dropped), or an error. */
export function joinTarget(text: string): { path: string } | { error: string } {
  if (text.trim() === "") return { error: "Enter the token or paste the whole link." };
  const parsed = parseJoinInput(text);
  if (!parsed) return { error: "That is neither a token nor a ChatOrbit link." };
  return { path: sessionPath(parsed.token) };
}
