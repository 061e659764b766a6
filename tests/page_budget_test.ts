/**
 * The page JavaScript budgets, in `deno task test` (1000 bytes per KB, gzip, each file on its
 * own as it is served): the landing page at most 10 KB, the room's initial JavaScript at most
 * 25 KB, and the crypto fallback an on-demand chunk outside the room's initial set.
 */
import assert from "node:assert/strict";
import { pageWeights } from "../bench/pages.ts";

const LANDING_BUDGET_BYTES = 10_000;
const ROOM_INITIAL_BUDGET_BYTES = 25_000;

Deno.test("[budget] the landing page loads at most 10 KB of JavaScript, the room at most 25 KB at first", async () => {
  const pages = await pageWeights();
  const { landing, room } = pages;
  assert.ok(
    landing.initialGzipBytes <= LANDING_BUDGET_BYTES,
    `landing: ${landing.initialGzipBytes} gzip bytes (${landing.initialFiles.join(", ")})`,
  );
  assert.ok(
    room.initialGzipBytes <= ROOM_INITIAL_BUDGET_BYTES,
    `room: ${room.initialGzipBytes} gzip bytes (${room.initialFiles.join(", ")})`,
  );
  // The fallback crypto is there for a room without Web Crypto, but only on demand.
  const fallback = /^noble_primitives-/;
  assert.ok(room.reachableFiles.some((file) => fallback.test(file)), "no fallback chunk");
  assert.ok(!room.initialFiles.some((file) => fallback.test(file)), "fallback loaded at once");
});
