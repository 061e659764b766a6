/**
 * The server test fixtures, in one place: a minted token, a join, a connected pair of seats, a
 * server or in-process app with a clock, and the time constants. Every test of the server imports
 * what it needs from here (the database dialect follows tests/test_store.ts: SQLite, or
 * PostgreSQL under tests/postgres/).
 */
import assert from "node:assert/strict";
import { MINT_BODY, postJson, type TestApp } from "./helpers.ts";
import { activeSession, authed, type Frame } from "./ws_client.ts";

export { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from "../contract/time.ts";
export { MINT_BODY, postJson, type TestApp, withApp, withServer } from "./helpers.ts";

/** Mints a token through the in-process app; the mint must succeed. */
export async function mint(t: TestApp, body: Record<string, unknown> = MINT_BODY): Promise<string> {
  const response = await postJson(t.app, "/api/tokens", body);
  assert.equal(response.status, 201);
  return (await response.json()).token;
}

/** Joins through the in-process app; the join must succeed. Returns the join answer. */
export async function join(
  t: TestApp,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Frame> {
  const response = await postJson(t.app, "/api/sessions/join", body, headers);
  const json = await response.json();
  assert.equal(response.status, 200, JSON.stringify(json));
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  return json;
}

/**
 * An active session on a live server with both seats connected, the statuses of their joins
 * consumed (the host has seen both seats present).
 */
export async function connectedPair(url: string, ttlMinutes = 30) {
  const seats = await activeSession(url, {
    validity_period: "1_day",
    session_ttl_minutes: ttlMinutes,
  });
  const { socket: host } = await authed(url, seats.token, seats.host);
  const { socket: guest } = await authed(url, seats.token, seats.guest);
  await host.nextOfType("status", (f) => f.connected.length === 2);
  return { token: seats.token, hostId: seats.host, guestId: seats.guest, host, guest };
}
