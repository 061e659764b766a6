import assert from "node:assert/strict";
import { OutgoingBudget, QueueMeter } from "./outgoing_budget.ts";

Deno.test("[backpressure] a socket may queue up to its cap, then no more", () => {
  const budget = new OutgoingBudget(1000, 10_000);
  const meter = new QueueMeter(budget);
  assert.ok(meter.admit(0, 600));
  assert.ok(meter.admit(600, 400));
  assert.equal(meter.admit(1000, 1), false);
  // Once its queue drains it may send again.
  assert.ok(meter.admit(0, 500));
  meter.release();
  assert.equal(budget.total, 0);
});

Deno.test("[backpressure] all sockets together stay under the process cap", () => {
  const budget = new OutgoingBudget(1000, 2500);
  const meters = [0, 1, 2].map(() => new QueueMeter(budget));
  assert.ok(meters[0].admit(0, 1000));
  assert.ok(meters[1].admit(0, 1000));
  assert.equal(meters[2].admit(0, 1000), false, "the third would pass the process cap");
  meters[0].release();
  assert.ok(meters[2].admit(0, 1000));
});
