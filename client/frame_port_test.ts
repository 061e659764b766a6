import assert from "node:assert/strict";
import type { ClientFrame, ServerFrame } from "../contract/frames.ts";
import { FramePort } from "./frame_port.ts";

const signal = (n: number): ServerFrame => ({
  type: "signal",
  signalType: "sealed",
  payload: `p${n}`,
  from: "host",
});

Deno.test("[room] the frame port keeps early signals for the chat that loads later, and no more than 64", () => {
  const port = new FramePort(() => {});
  for (let n = 0; n < 70; n++) port.deliver(signal(n));
  port.deliver({ type: "relay", payload: "lost", from: "host" });
  const seen: ServerFrame[] = [];
  const stop = port.receive((frame) => seen.push(frame));
  assert.equal(seen.length, 64);
  assert.deepEqual(seen[0], signal(0));
  port.deliver({ type: "relay", payload: "now", from: "host" });
  assert.equal(seen.length, 65);
  stop();
  port.deliver(signal(99));
  assert.equal(seen.length, 65, "an unsubscribed chat hears nothing more");
});

Deno.test("[room] the frame port sends through the function it was given", () => {
  const sent: ClientFrame[] = [];
  const port = new FramePort((frame) => sent.push(frame));
  port.send({ type: "relay", payload: "x" });
  assert.deepEqual(sent, [{ type: "relay", payload: "x" }]);
});
