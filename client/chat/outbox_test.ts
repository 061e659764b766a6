/** The outbox's flush after a reconnection: paced by acknowledgements, in the order written. */
import assert from "node:assert/strict";
import { SOCKET_QUEUE_CAP_BYTES } from "../../contract/limits.ts";
import { Conversation } from "./conversation.ts";
import { Outbox } from "./outbox.ts";
import type { ChatWire } from "./wire.ts";

function outbox(timeoutMs = 60_000) {
  const sent: ChatWire[] = [];
  const box = new Outbox(new Conversation(), (wire) => sent.push(wire), timeoutMs);
  return { box, sent };
}

const jsonBytes = (wires: ChatWire[]) =>
  wires.reduce((sum, wire) => sum + new TextEncoder().encode(JSON.stringify(wire)).length, 0);
const idOf = (wire: ChatWire) => (wire as { id: string }).id;
/** The longest message: 16000 code points of two UTF-8 bytes each. */
const LONG = "é".repeat(15_999);

/** Ten long messages written while the other side was away (nothing reached it). */
function tenWaiting(timeoutMs?: number) {
  const t = outbox(timeoutMs);
  for (let i = 0; i < 10; i++) t.box.send(`${i}${LONG}`);
  const written = t.sent.map(idOf);
  t.sent.length = 0;
  return { ...t, written };
}

Deno.test("[chat] a flush of long messages goes out as acknowledgements come, in order", () => {
  const { box, sent, written } = tenWaiting();
  box.flush();
  // Sealed and base64-encoded a wire's frame is at most about twice its JSON: what is out at once
  // stays within half the other side's socket queue cap, not all ten (~640 KB of frames).
  assert.ok(sent.length >= 1 && sent.length < 10, `${sent.length} at once`);
  assert.ok(jsonBytes(sent) * 2 <= SOCKET_QUEUE_CAP_BYTES / 2 + 2 * jsonBytes(sent.slice(-1)));
  for (let acknowledged = 0; acknowledged < sent.length; acknowledged++) {
    box.acknowledged("msg", idOf(sent[acknowledged]));
  }
  assert.deepEqual(sent.map(idOf), written, "each once, in the order written");
  box.clear();
});

Deno.test("[chat] what I write during a flush follows it; a deletion does not hold it back", () => {
  const { box, sent, written } = tenWaiting();
  box.flush();
  const first = sent.length;
  box.send("written meanwhile");
  assert.equal(sent.length, first, "it waits behind the flush");
  // Deleting a message that is out unacknowledged frees its share of the budget.
  box.delete(idOf(sent[0]));
  const afterDelete = sent.length;
  assert.ok(afterDelete > first, "the next message went out");
  for (let i = 1; i < sent.length; i++) {
    box.acknowledged(sent[i].t === "del" ? "del" : "msg", idOf(sent[i]));
  }
  const messages = sent.filter((wire) => wire.t === "msg").map(idOf);
  assert.deepEqual(messages.slice(0, -1), written, "the flush, in order");
  const last = sent.filter((wire) => wire.t === "msg").at(-1) as { text: string };
  assert.equal(last.text, "written meanwhile");
  assert.equal(sent.at(-1)?.t, "del", "the deletion follows too");
  box.clear();
});

Deno.test("[chat] a lost acknowledgement holds a flush back only until the time-out", async () => {
  const { box, sent } = tenWaiting(50);
  box.flush();
  const first = sent.length;
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.ok(sent.length > first, "the rest went on");
  box.clear();
});
