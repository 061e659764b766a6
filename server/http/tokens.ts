/** POST /api/tokens: mint a token. */
import { Hono } from "hono";
import type { Deps } from "../deps.ts";
import { type MintPolicy, mintRequestSchema, mintToken } from "../domain/tokens.ts";
import { clientAddress } from "./client_address.ts";
import { jsonBody } from "./json_body.ts";

export function tokensApi(deps: Deps): Hono {
  const policy = mintPolicy(deps);
  return new Hono().post("/", async (c) => {
    const request = await jsonBody(c, mintRequestSchema);
    const address = clientAddress(c, deps.config.trustProxy);
    const minted = await mintToken(deps.db, deps.clock, policy, request, address);
    return c.json(minted, 201);
  });
}

/** The mint rules as configured; the landing form mints under the same ones. */
export function mintPolicy(deps: Deps): MintPolicy {
  return {
    limitPerHour: deps.config.tokenRateLimitPerHour,
    globalPerMinute: deps.config.tokenRateLimitGlobalPerMinute,
    keys: deps.rateKeys,
  };
}
