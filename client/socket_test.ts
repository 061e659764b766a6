import assert from "node:assert/strict";
import { BACKOFF_MS, backoffDelay, parseServerFrame } from "./socket.ts";
import { parseJoinInput } from "./share_link.ts";
import { formatCountdown } from "./time_format.ts";

const STATUS = {
  type: "status",
  token: "t",
  status: "active",
  you: "host",
  connected: ["host", "guest"],
  session_started_at: "2026-01-01T00:00:00.000Z",
  session_expires_at: "2026-01-01T00:30:00.000Z",
  remaining_seconds: 1800,
  server_time: "2026-01-01T00:00:00.000Z",
  message_char_limit: 2000,
  end_reason: null,
};

Deno.test("[room] server frames are validated on receipt", () => {
  assert.equal(parseServerFrame(JSON.stringify(STATUS))?.type, "status");
  assert.equal(parseServerFrame(JSON.stringify({ ...STATUS, you: "admin" })), null);
  assert.equal(parseServerFrame(JSON.stringify({ ...STATUS, server_time: "soon" })), null);
  assert.deepEqual(parseServerFrame('{"type":"relay","payload":"x","from":"guest"}'), {
    type: "relay",
    payload: "x",
    from: "guest",
  });
  assert.equal(parseServerFrame('{"type":"relay","payload":1,"from":"guest"}'), null);
  assert.deepEqual(parseServerFrame('{"type":"session_closed","reason":"ended"}'), {
    type: "session_closed",
    reason: "ended",
  });
  assert.equal(parseServerFrame('{"type":"session_closed","reason":"boom"}'), null);
  assert.equal(parseServerFrame('{"type":"surprise"}'), null);
  assert.equal(parseServerFrame("not json"), null);
  assert.equal(parseServerFrame("null"), null);
});

Deno.test("[room] reconnect delays grow, are capped and jittered", () => {
  assert.equal(backoffDelay(0, 0.5), BACKOFF_MS[0]);
  assert.equal(backoffDelay(99, 0.5), BACKOFF_MS.at(-1));
  assert.ok(backoffDelay(2, 0) < backoffDelay(2, 1));
});

Deno.test("[room] the countdown reads minutes and seconds, hours when needed", () => {
  assert.equal(formatCountdown(0), "0:00");
  assert.equal(formatCountdown(59_001), "1:00");
  assert.equal(formatCountdown(5 * 60_000), "5:00");
  assert.equal(formatCountdown(3_723_000), "1:02:03");
});

Deno.test("[pages] the join field takes a bare token or a whole link", () => {
  const token = "abcDEF_-".repeat(5) + "xyz";
  assert.deepEqual(parseJoinInput(`  ${token} `), { token, fragment: "" });
  assert.deepEqual(parseJoinInput(`https://chat.example/session/${token}#s3cret`), {
    token,
    fragment: "s3cret",
  });
  assert.deepEqual(parseJoinInput(`/session/${token}`), { token, fragment: "" });
  assert.equal(parseJoinInput("hello world"), null);
  assert.equal(parseJoinInput("https://chat.example/session/short"), null);
});
