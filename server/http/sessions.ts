/** Joining, reading and ending sessions: the HTTP face of the sessions service. */
import { Hono } from "hono";
import { z } from "zod";
import type { JoinRequest } from "../../contract/api.ts";
import type { Deps } from "../deps.ts";
import { failedAttempts, tooManyAttempts } from "../domain/failed_attempts.ts";
import { clientKey } from "./client_address.ts";
import { jsonBody } from "./json_body.ts";

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

/** The credential of an Authorization header: undefined without one, null for a malformed one. */
function bearer(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9_-]{1,128})\s*$/i.exec(header);
  return match ? match[1] : null;
}

export function sessionsApi(deps: Deps): Hono {
  const { sessions } = deps;
  return new Hono()
    .post("/join", async (c) => {
      // Every join attempt counts, successful or not (the original's rule).
      const decision = await deps.joinLimiter.hit(clientKey(c, deps.config.trustProxy));
      if (!decision.allowed) throw tooManyAttempts(decision);
      const input = await jsonBody(c, joinSchema);
      return c.json(await sessions.join(input), 200);
    })
    .get("/:token/status", (c) => {
      const key = clientKey(c, deps.config.trustProxy);
      return failedAttempts(deps.joinLimiter, key, async () => {
        // Presence is shown only to a seat holder: a bearer credential must open one of the seats.
        const credential = bearer(c.req.header("authorization"));
        return c.json(await sessions.view(c.req.param("token"), credential));
      });
    })
    .delete("/:token", (c) => {
      const key = clientKey(c, deps.config.trustProxy);
      return failedAttempts(deps.joinLimiter, key, async () => {
        const credential = bearer(c.req.header("authorization")) ?? null;
        await sessions.end(c.req.param("token"), credential);
        return c.body(null, 204);
      });
    });
}
