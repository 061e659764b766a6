import assert from "node:assert/strict";
import { Conversation } from "./conversation.ts";
import { Inbox } from "./inbox.ts";
import { Outbox } from "./outbox.ts";
import type { ChatWire } from "./wire.ts";

function inbox() {
  const conversation = new Conversation();
  const sent: ChatWire[] = [];
  const outbox = new Outbox(conversation, (wire) => sent.push(wire), 60_000);
  return {
    conversation,
    outbox,
    sent,
    inbox: new Inbox(conversation, outbox, (w) => sent.push(w), { deliver() {} }, {
      deliver() {},
    }),
  };
}

Deno.test("[chat] a received message is shown and acknowledged; typing clears", () => {
  const t = inbox();
  t.inbox.receive({ t: "typing", on: true });
  assert.equal(t.inbox.peerTyping.value, true);
  t.inbox.receive({ t: "msg", id: "msg_0000001", text: "hi", at: 1, e: "epoch_0001", n: 0 });
  assert.equal(t.inbox.peerTyping.value, false);
  assert.equal(t.conversation.messages.value.length, 1);
  assert.deepEqual(t.sent, [{ t: "ack", of: "msg", id: "msg_0000001" }]);
  t.inbox.clear();
});

Deno.test("[chat] an acknowledgement marks my message delivered; their verified is only a claim", () => {
  const t = inbox();
  t.outbox.send("hello");
  const [wire] = t.sent as { id: string }[];
  t.inbox.receive({ t: "ack", of: "msg", id: wire.id });
  assert.equal(t.conversation.messages.value[0].delivery, "delivered");
  t.inbox.receive({ t: "verified" });
  assert.equal(t.inbox.peerVerified.value, true);
  t.outbox.clear();
});
