import assert from "node:assert/strict";
import { isFrameError, isOversized, MAX_FRAME_BYTES, parseClientFrame } from "./frames.ts";

Deno.test("[frames] well-formed frames parse to their type", () => {
  assert.deepEqual(parseClientFrame('{"type":"auth","participant_id":"abc"}'), {
    type: "auth",
    participant_id: "abc",
  });
  assert.deepEqual(parseClientFrame('{"type":"ping"}'), { type: "ping" });
  assert.deepEqual(parseClientFrame('{"type":"relay","payload":"xyz"}'), {
    type: "relay",
    payload: "xyz",
  });
  const signal = parseClientFrame('{"type":"signal","signalType":"offer","payload":{"sdp":"v=0"}}');
  assert.deepEqual(signal, { type: "signal", signalType: "offer", payload: { sdp: "v=0" } });
});

Deno.test("[frames] bad frames name what is wrong", () => {
  const code = (text: string) => {
    const result = parseClientFrame(text);
    assert.ok("code" in result, `${text} should be refused`);
    assert.ok(result.message.length > 0);
    return result.code;
  };
  assert.equal(code("not json"), "invalid_json");
  assert.equal(code(""), "invalid_json");
  assert.equal(code("[]"), "invalid_frame");
  assert.equal(code("null"), "invalid_frame");
  assert.equal(code("42"), "invalid_frame");
  assert.equal(code('"auth"'), "invalid_frame");
  assert.equal(code("{}"), "unknown_type");
  assert.equal(code('{"type":"shout"}'), "unknown_type");
  assert.equal(code('{"type":7}'), "unknown_type");
  assert.equal(code('{"type":"auth"}'), "invalid_frame");
  assert.equal(code('{"type":"signal","payload":1}'), "invalid_frame");
  assert.equal(code('{"type":"signal","signalType":"offer"}'), "invalid_frame");
  assert.equal(code('{"type":"relay"}'), "invalid_frame");
  assert.equal(code('{"type":"relay","payload":{"not":"a string"}}'), "invalid_frame");
});

Deno.test("[frames] the size cap counts UTF-8 bytes", () => {
  assert.equal(isOversized("a".repeat(MAX_FRAME_BYTES)), false);
  assert.equal(isOversized("a".repeat(MAX_FRAME_BYTES + 1)), true);
  // 3 bytes per character in UTF-8: 21,846 of them are 65,538 bytes.
  assert.equal(isOversized("€".repeat(21_845)), false);
  assert.equal(isOversized("€".repeat(21_846)), true);
});

Deno.test("[frames] a relay frame carrying a code key is still a frame, not an error", () => {
  const result = parseClientFrame('{"type":"relay","payload":"x","code":"c","message":"m"}');
  assert.equal(isFrameError(result), false);
  assert.equal(isFrameError(parseClientFrame('{"type":"relay","payload":""}')), true);
  assert.equal(
    isFrameError(parseClientFrame('{"type":"signal","signalType":"","payload":1}')),
    true,
  );
  const long = parseClientFrame(`{"type":"signal","signalType":"${"x".repeat(65)}","payload":1}`);
  assert.ok(isFrameError(long) && long.message.startsWith("signal frame: signalType: "));
});
