/** POST /api/tokens: mint a token. */
import { Hono } from "hono";
import type { Deps } from "../deps.ts";
import { mintRequestSchema } from "../domain/tokens.ts";
import { clientAddress } from "./client_address.ts";
import { jsonBody } from "./json_body.ts";

export function tokensApi(deps: Deps): Hono {
  return new Hono().post("/", async (c) => {
    const request = await jsonBody(c, mintRequestSchema);
    const address = clientAddress(c, deps.config.trustProxy);
    return c.json(await deps.sessions.mint(request, address), 201);
  });
}
