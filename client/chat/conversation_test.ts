import assert from "node:assert/strict";
import { type ChatMessage, Conversation, missingCount } from "./conversation.ts";
import type { MessageWire } from "./wire.ts";

const theirs = (n: number, e = "epoch-one"): MessageWire => ({
  t: "msg",
  id: `id-${e}-${n}`,
  text: `message ${n}`,
  at: 1000 + n,
  e,
  n,
});

/**
 * The list as text: messages by their text, placeholders as "[missing k]", late ones starred,
 * deleted ones as "[deleted]", notes as "(note)".
 */
const shown = (messages: ChatMessage[]) =>
  messages.map((m) =>
    missingCount(m)
      ? `[missing ${missingCount(m)}]`
      : m.deleted
      ? "[deleted]"
      : m.note
      ? `(${m.note})`
      : `${m.text}${m.late ? "*" : ""}`
  );

Deno.test("[chat] their messages show in their order; a late one takes its place, flagged", () => {
  const c = new Conversation();
  c.addTheirs(theirs(0));
  c.addTheirs(theirs(2));
  c.addTheirs(theirs(1));
  assert.deepEqual(shown(c.messages.value), ["message 0", "message 1*", "message 2"]);
  assert.equal(c.addTheirs(theirs(1)), false, "a duplicate shows once");
});

Deno.test("[chat] a skipped number leaves a note until the message or its deletion comes", () => {
  const c = new Conversation();
  c.addTheirs(theirs(0));
  c.addTheirs(theirs(4));
  assert.deepEqual(shown(c.messages.value), ["message 0", "[missing 3]", "message 4"]);
  c.addTheirs(theirs(2));
  assert.deepEqual(shown(c.messages.value), [
    "message 0",
    "[missing 1]",
    "message 2*",
    "[missing 1]",
    "message 4",
  ]);
  c.removeTheirs("id-epoch-one-1", "epoch-one", 1); // deleted before it ever arrived
  c.addTheirs(theirs(3));
  assert.deepEqual(shown(c.messages.value), ["message 0", "message 2*", "message 3*", "message 4"]);
  c.removeTheirs("id-epoch-one-3", "epoch-one", 3);
  assert.deepEqual(shown(c.messages.value), ["message 0", "message 2*", "[deleted]", "message 4"]);
});

Deno.test("[chat] a deletion leaves a line without the text; notes are not repeated", () => {
  const c = new Conversation();
  c.addMine("mine-1", "secret words", 10, 10);
  c.addTheirs(theirs(0));
  c.removeMine("mine-1");
  c.removeMine("id-epoch-one-0"); // theirs: not mine to remove
  assert.deepEqual(shown(c.messages.value), ["[deleted]", "message 0"]);
  assert.equal(c.messages.value[0].text, "");
  c.addNote("away", 20);
  c.addNote("away", 21);
  c.addNote("back", 22);
  assert.deepEqual(shown(c.messages.value), ["[deleted]", "message 0", "(away)", "(back)"]);
});

Deno.test("[chat] a deletion that overtakes later messages opens no hole", () => {
  const c = new Conversation();
  c.addTheirs(theirs(0));
  c.removeTheirs("id-epoch-one-2", "epoch-one", 2); // never sent: deleted while queued
  c.addTheirs(theirs(1));
  c.addTheirs(theirs(3));
  assert.deepEqual(shown(c.messages.value), ["message 0", "message 1", "message 3"]);
});

Deno.test("[chat] a reload on their side starts a new numbering without a false gap", () => {
  const c = new Conversation();
  c.addTheirs(theirs(0));
  c.addTheirs(theirs(1));
  c.addTheirs(theirs(0, "epoch-two"));
  assert.deepEqual(shown(c.messages.value), ["message 0", "message 1", "message 0"]);
  c.addTheirs(theirs(2, "epoch-three"));
  assert.deepEqual(shown(c.messages.value).slice(3), ["[missing 2]", "message 2"]);
});

Deno.test("[chat] my messages fail after the time-out unless acknowledged, and retry", () => {
  const c = new Conversation();
  c.addMine("mine-aaaa1", "first", 0, 0);
  c.addMine("mine-aaaa2", "second", 0, 500);
  assert.equal(c.expire(999, 1000), 1000, "the first falls due at 1000");
  c.delivered("mine-aaaa2");
  assert.equal(c.expire(1000, 1000), null);
  assert.deepEqual(c.messages.value.map((m) => m.delivery), ["failed", "delivered"]);
  c.sending("mine-aaaa1", 5000);
  assert.equal(c.messages.value[0].delivery, "sending");
  assert.equal(c.expire(5500, 1000), 6000);
  c.delivered("mine-aaaa1");
  assert.deepEqual(c.messages.value.map((m) => m.delivery), ["delivered", "delivered"]);
});
