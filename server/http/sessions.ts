/** Joining, reading and ending sessions. */
import { Hono } from "hono";
import { z } from "zod";
import type { JoinRequest } from "../../contract/api.ts";
import type { Deps } from "../deps.ts";
import { failedAttempts, tooManyAttempts } from "../domain/failed_attempts.ts";
import {
  endSession,
  hashSeatCredential,
  hashToken,
  joinSession,
  sessionView,
  wrongCredential,
} from "../domain/sessions.ts";
import { tokenNotFound } from "../errors.ts";
import { clientKey } from "./client_address.ts";
import { jsonBody } from "./json_body.ts";

/** Tokens are base64url; anything else cannot exist, so it is "not found" without a query. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const optionalText = (name: string, min: number) =>
  z.string().min(min, `${name} must not be empty.`).max(
    128,
    `${name} must be at most 128 characters.`,
  )
    .nullish().transform((value) => value ?? undefined);

const joinSchema = z.strictObject({
  token: z.string({ error: "token is required." }).min(1, "token is required.")
    .max(128, "token must be at most 128 characters."),
  participant_id: optionalText("participant_id", 1),
  client_identity: optionalText("client_identity", 0),
}) satisfies z.ZodType<JoinRequest, unknown>;

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]{1,128})\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}

export function sessionsApi(deps: Deps): Hono {
  const { db, clock, hub } = deps;
  return new Hono()
    .post("/join", async (c) => {
      // Every join attempt counts, successful or not (the original's rule).
      const decision = deps.joinLimiter.hit(clientKey(c, deps.config.trustProxy));
      if (!decision.allowed) throw tooManyAttempts(decision);
      const input = await jsonBody(c, joinSchema);
      if (!TOKEN_PATTERN.test(input.token)) throw tokenNotFound();
      const { activated, ...result } = await joinSession(db, clock, input);
      deps.sessionRows.invalidate(hashToken(input.token));
      if (activated) await hub.sessionActivated(input.token);
      return c.json(result, 200);
    })
    .get("/:token/status", (c) => {
      const key = clientKey(c, deps.config.trustProxy);
      return failedAttempts(deps.joinLimiter, key, async () => {
        const token = c.req.param("token");
        if (!TOKEN_PATTERN.test(token)) throw tokenNotFound();
        const tokenHash = hashToken(token);
        const rows = await deps.sessionRows.get(tokenHash);
        if (!rows) throw tokenNotFound();
        // Presence is shown only to a seat holder: a bearer credential must open one of the seats.
        const authorization = c.req.header("authorization");
        let connected = null;
        if (authorization !== undefined) {
          const credential = bearer(authorization);
          const hash = credential === null ? null : hashSeatCredential(credential);
          if (!rows.participants.some((p) => p.credential_hash === hash)) throw wrongCredential();
          connected = hub.connectedRoles(tokenHash);
        }
        return c.json(sessionView(token, rows.row, rows.participants, connected, clock.now()));
      });
    })
    .delete("/:token", (c) => {
      const key = clientKey(c, deps.config.trustProxy);
      return failedAttempts(deps.joinLimiter, key, async () => {
        const token = c.req.param("token");
        if (!TOKEN_PATTERN.test(token)) throw tokenNotFound();
        const row = await endSession(db, clock, token, bearer(c.req.header("authorization")));
        deps.sessionRows.invalidate(row.token_hash);
        await hub.sessionEnded(row.token_hash, "ended");
        return c.body(null, 204);
      });
    });
}
