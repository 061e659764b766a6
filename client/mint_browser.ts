/**
 * Minting from the browser: the API call and the link with its secret. Loaded by the MintForm
 * island when the form is sent, not with the page.
 */
import type { MintedToken, MintRequest } from "../contract/api.ts";
import type { ValidityPeriod } from "../contract/limits.ts";
import { ApiError, postJson } from "./api.ts";
import { newLinkSecret } from "./crypto/link_secret.ts";
import { clientIdentity } from "./seat.ts";
import {
  type FieldErrors,
  humanize,
  type MintField,
  type MintResult,
  type MintValues,
} from "./mint.ts";
import { shareLink } from "./share_link.ts";

const FIELDS = new Set(["validity_period", "session_ttl_minutes", "message_char_limit"]);

/** An API error as per-field messages. */
function fieldErrors(error: ApiError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = (FIELDS.has(issue.path) ? issue.path : "form") as MintField | "form";
    errors[field] ??= humanize(issue.message);
  }
  if (Object.keys(errors).length === 0) errors.form = humanize(error.detail);
  return errors;
}

/** Mints through the API and makes the link, secret included; throws FieldErrors. */
export async function mintInBrowser(values: MintValues): Promise<MintResult> {
  try {
    const minted = await postJson<MintedToken>(
      "/api/tokens",
      {
        // The server checks the choice; the form offers only contract values.
        validity_period: values.validity_period as ValidityPeriod,
        session_ttl_minutes: Number(values.session_ttl_minutes),
        message_char_limit: Number(values.message_char_limit),
        client_identity: clientIdentity(),
      } satisfies MintRequest,
    );
    return {
      token: minted.token,
      link: shareLink(location.origin, minted.token, newLinkSecret()),
      validityExpiresAt: minted.validity_expires_at,
      sessionMinutes: minted.session_ttl_seconds / 60,
      messageCharLimit: minted.message_char_limit,
      hasSecret: true,
      qr: null,
    };
  } catch (error) {
    if (error instanceof ApiError) throw fieldErrors(error);
    throw { form: "Something went wrong. Please try again." } satisfies FieldErrors;
  }
}
