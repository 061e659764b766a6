/** Joining, reading and ending sessions. */
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { endSession, hashToken, joinSession, sessionView } from "../domain/sessions.ts";
import { AppError, tokenNotFound } from "../errors.ts";
import { clientAddress } from "./client_address.ts";
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
});

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]{1,128})\s*$/i.exec(header ?? "");
  return match ? match[1] : null;
}

export function sessionsApi(deps: Deps): Hono {
  const { db, clock, hub } = deps;
  return new Hono()
    .post("/join", async (c) => {
      const decision = await deps.joinLimiter.hit(clientAddress(c, deps.config.trustProxy));
      if (!decision.allowed) {
        throw new AppError(
          429,
          `Too many join attempts. Try again in ${decision.retryAfterSeconds} seconds.`,
          { "Retry-After": String(decision.retryAfterSeconds) },
        );
      }
      const input = await jsonBody(c, joinSchema);
      if (!TOKEN_PATTERN.test(input.token)) throw tokenNotFound();
      const { activated, ...result } = await joinSession(db, clock, input);
      deps.sessionRows.invalidate(hashToken(input.token));
      if (activated) await hub.sessionActivated(input.token);
      return c.json(result, 200);
    })
    .get("/:token/status", async (c) => {
      const token = c.req.param("token");
      if (!TOKEN_PATTERN.test(token)) throw tokenNotFound();
      const tokenHash = hashToken(token);
      const rows = await deps.sessionRows.get(tokenHash);
      if (!rows) throw tokenNotFound();
      const connected = hub.connectedRoles(tokenHash);
      return c.json(sessionView(token, rows.row, rows.participants, connected, clock.now()));
    })
    .delete("/:token", async (c) => {
      const token = c.req.param("token");
      if (!TOKEN_PATTERN.test(token)) throw tokenNotFound();
      const row = await endSession(db, clock, token, bearer(c.req.header("authorization")));
      deps.sessionRows.invalidate(row.token_hash);
      await hub.sessionEnded(row.token_hash, "ended");
      return c.body(null, 204);
    });
}
