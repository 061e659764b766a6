/**
 * Two FileTransfers over an in-memory pair of file ports (the chat's envelopes are tested in
 * client/chat/; the browser tests carry files over the real data channel and relay).
 */
import assert from "node:assert/strict";
import { signal } from "@preact/signals-core";
import { Conversation } from "../chat/conversation.ts";
import { FilePort } from "../chat/file_port.ts";
import type { FileWire } from "../chat/file_wire.ts";
import type { ChatPath } from "../chat/path.ts";
import { MAX_FRAME_BYTES, SOCKET_QUEUE_CAP_BYTES } from "../../contract/limits.ts";
import { RELAY_WINDOW } from "./relay_share.ts";
import { type FileLimits, FileTransfers } from "./transfers.ts";

const LIMITS: FileLimits = { maxBytes: 3_000_000, relayMaxBytes: 500_000 };

/**
 * Sender and receiver; `meddle` may change or drop (null) each wire on its way; the receiver's
 * files stop after `receiveStallMs` without a chunk.
 */
function pair(
  meddle: (wire: FileWire) => FileWire | null = (wire) => wire,
  receiveStallMs?: number,
) {
  const path = signal<ChatPath>("direct");
  const sides: { port: FilePort; conversation: Conversation }[] = [];
  /** What the receiver sent back. */
  const answers: FileWire[] = [];
  for (const index of [0, 1]) {
    const conversation = new Conversation();
    const port = new FilePort(
      (wire) => {
        if (index === 1) answers.push(wire);
        const delivered = index === 0 ? meddle(wire) : wire;
        if (delivered) queueMicrotask(() => sides[1 - index].port.deliver(delivered));
      },
      path,
      conversation,
    );
    sides.push({ port, conversation });
  }
  const sender = new FileTransfers(sides[0].port, LIMITS);
  const receiver = new FileTransfers(sides[1].port, LIMITS, receiveStallMs);
  return {
    path,
    sender,
    receiver,
    conversations: sides.map((side) => side.conversation),
    answers,
    /** Hands the receiver a wire as a (hostile) sender would. */
    toReceiver: (wire: FileWire) => sides[1].port.deliver(wire),
    [Symbol.dispose]() {
      sender.dispose();
      receiver.dispose();
    },
  };
}

const only = (transfers: FileTransfers) => [...transfers.transfers.value.values()][0];

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const bytesOf = (size: number) => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
  return bytes;
};

Deno.test("[files] a file arrives whole, checked, with a line on both sides", async () => {
  using p = pair();
  const bytes = bytesOf(1_000_001);
  assert.equal(p.sender.send(new File([bytes], "a.bin", { type: "text/plain" })), null);
  await until(() => only(p.receiver)?.state === "done", "received");
  const received = only(p.receiver);
  assert.equal(received.mime, "text/plain");
  assert.deepEqual(new Uint8Array(await (await fetch(received.url!)).arrayBuffer()), bytes);
  await until(() => only(p.sender).state === "done", "sent");
  assert.equal(only(p.sender).bytes, bytes.length);
  for (const conversation of p.conversations) {
    assert.equal(conversation.messages.value[0].text, "a.bin");
    assert.ok(conversation.messages.value[0].file);
  }
  // Files are never sent back to a device that reloaded: their bytes were not kept.
  assert.deepEqual(p.conversations[1].restorable(10), []);

  // The sender deletes it: gone from both, its object URL let go.
  p.sender.delete(received.id);
  await until(() => p.receiver.transfers.value.size === 0, "deleted");
  assert.ok(p.conversations[1].messages.value[0].deleted);
  await assert.rejects(fetch(received.url!));
});

Deno.test("[files] an empty file arrives too", async () => {
  using p = pair();
  p.sender.send(new File([], "empty.txt"));
  await until(() => only(p.receiver)?.state === "done", "received");
  await until(() => only(p.sender).state === "done", "sent");
});

Deno.test("[files] over the relay at most a couple of chunks are unacknowledged", async () => {
  // A slow receiver's socket holds what is in flight; the server closes it past its queue cap.
  assert.ok(RELAY_WINDOW >= 1 && RELAY_WINDOW * MAX_FRAME_BYTES <= SOCKET_QUEUE_CAP_BYTES / 2);
  let sent = 0;
  let most = 0;
  const held: FileWire[] = [];
  using p = pair((wire) => {
    if (wire.t !== "chunk") return wire;
    // Chunks sent that the receiver has not said it holds.
    const fack = p.answers.findLast((answer) => answer.t === "fack");
    most = Math.max(most, ++sent - (fack?.t === "fack" ? fack.got : 0));
    held.push(wire);
    return null;
  });
  // The receiver reads a chunk every 20 ms, slower than the sender would send them.
  const reader = setInterval(() => held.length && p.toReceiver(held.shift()!), 20);
  p.path.value = "relayed";
  p.sender.send(new File([bytesOf(400_000)], "r.bin"));
  await until(() => only(p.receiver)?.state === "done", "received");
  clearInterval(reader);
  assert.ok(most <= RELAY_WINDOW, `${most} chunks in flight`);
});

Deno.test("[files] several files at once over the relay share its couple of chunks", async () => {
  const held: FileWire[] = [];
  let most = 0;
  using p = pair((wire) => {
    if (wire.t !== "chunk") return wire;
    held.push(wire);
    // Every file's chunks sent that the receiver has not said it holds, all files together.
    const got = new Map<string, number>();
    for (const answer of p.answers) if (answer.t === "fack") got.set(answer.id, answer.got);
    const sent = new Map<string, number>();
    for (const chunk of [...held, ...delivered]) {
      if (chunk.t === "chunk") sent.set(chunk.id, Math.max(sent.get(chunk.id) ?? 0, chunk.i + 1));
    }
    let out = 0;
    for (const [id, chunks] of sent) out += chunks - (got.get(id) ?? 0);
    most = Math.max(most, out);
    return null;
  });
  const delivered: FileWire[] = [];
  const reader = setInterval(() => {
    const wire = held.shift();
    if (!wire) return;
    delivered.push(wire);
    p.toReceiver(wire);
  }, 10);
  p.path.value = "relayed";
  for (const name of ["a.bin", "b.bin", "c.bin"]) {
    assert.equal(p.sender.send(new File([bytesOf(150_000)], name)), null);
  }
  await until(
    () => [...p.receiver.transfers.value.values()].filter((t) => t.state === "done").length === 3,
    "all three received",
  );
  clearInterval(reader);
  assert.ok(most <= RELAY_WINDOW, `${most} chunks in flight`);
  await until(
    () => [...p.sender.transfers.value.values()].every((t) => t.state === "done"),
    "sent",
  );
});

Deno.test("[files] over the limit of the path in use: refused before anything is sent", () => {
  using p = pair();
  const big = new File([new Uint8Array(3_000_001)], "big.bin");
  assert.match(p.sender.send(big)!, /“big\.bin” is 3\.0 MB; files up to 3\.0 MB can be sent\./);
  p.path.value = "relayed";
  const mid = new File([new Uint8Array(600_000)], "mid.bin");
  assert.match(p.sender.send(mid)!, /while the connection is relayed files up to 500 KB/);
  p.path.value = "connecting";
  assert.match(p.sender.send(new File(["x"], "x"))!, /once your devices are connected/);
  assert.equal(p.sender.transfers.value.size, 0);
  assert.equal(p.conversations[0].messages.value.length, 0);
});

Deno.test("[files] a changed chunk fails the check on both sides; nothing is offered", async () => {
  using p = pair((wire) => {
    if (wire.t !== "chunk" || wire.i !== 2) return wire;
    // Same length, other bytes: only the SHA-256 of the whole can tell.
    const d = (wire.d[0] === "A" ? "B" : "A") + wire.d.slice(1);
    return { ...wire, d };
  });
  p.sender.send(new File([bytesOf(200_000)], "b.bin"));
  await until(() => only(p.receiver)?.state === "ended", "discarded");
  assert.match(only(p.receiver).why!, /did not match/);
  assert.equal(only(p.receiver).url, undefined);
  await until(() => only(p.sender).why?.includes("damaged") ?? false, "told");
});

Deno.test("[files] a chunk of the wrong length ends the transfer", async () => {
  using p = pair((wire) => wire.t === "chunk" && wire.i === 0 ? { ...wire, d: "AAAA" } : wire);
  p.sender.send(new File([bytesOf(100_000)], "c.bin"));
  await until(() => only(p.receiver)?.state === "ended", "ended");
});

Deno.test("[files] cancelled by the receiver, the sender stops", async () => {
  let cancelled = false;
  using p = pair((wire) => {
    // Held back after the first chunks, so the transfer is still on its way when cancelled.
    if (wire.t === "chunk" && wire.i > 3) return null;
    if (wire.t === "fend") cancelled = true;
    return wire;
  });
  p.sender.send(new File([bytesOf(1_000_000)], "d.bin"));
  await until(() => only(p.receiver)?.state === "receiving", "receiving");
  p.receiver.cancel(only(p.receiver).id);
  await until(() => only(p.sender).state === "ended", "stopped");
  assert.equal(only(p.sender).why, "They cancelled it.");
  assert.equal(only(p.receiver).why, "Cancelled.");
  assert.equal(cancelled, false, "the sender does not answer a cancel with another");
});

Deno.test("[files] the receiver refuses an offer over its own limit, and more than four at once", () => {
  using p = pair();
  const offer = (id: string, size: number): FileWire => ({
    t: "file",
    id,
    name: "x.bin",
    size,
    mime: "",
    sha: "A".repeat(43),
  });
  p.toReceiver(offer("too-big-file", LIMITS.maxBytes + 1));
  assert.equal(p.receiver.transfers.value.size, 0);
  assert.deepEqual(p.answers.at(-1), { t: "fend", id: "too-big-file", why: "refused" });
  for (let i = 0; i < 5; i++) p.toReceiver(offer(`at-once-${i}`, 100_000));
  assert.equal(p.receiver.transfers.value.size, 4);
  assert.deepEqual(p.answers.at(-1), { t: "fend", id: "at-once-4", why: "refused" });
});

Deno.test("[files] the receiver holds at most four files' worth of the limit in memory", async () => {
  using p = pair();
  for (let i = 0; i < 4; i++) {
    p.sender.send(new File([new Uint8Array(LIMITS.maxBytes)], `full-${i}.bin`));
    await until(
      () =>
        [...p.receiver.transfers.value.values()].filter((t) => t.state === "done").length === i + 1,
      `file ${i}`,
    );
  }
  const tiny: FileWire = {
    t: "file",
    id: "one-byte-more",
    name: "x",
    size: 1,
    mime: "",
    sha: "A".repeat(43),
  };
  p.toReceiver(tiny);
  assert.deepEqual(p.answers.at(-1), { t: "fend", id: "one-byte-more", why: "refused" });
  // The sender deletes one: its room is free again.
  p.sender.delete([...p.sender.transfers.value.keys()][0]);
  await until(() => p.receiver.transfers.value.size === 3, "deleted");
  p.toReceiver({ ...tiny, id: "now-there-is-room" });
  assert.ok(p.receiver.transfers.value.has("now-there-is-room"));
});

Deno.test("[files] a chunk lost on the way is sent again after a stall", async () => {
  let dropped = false;
  using p = pair((wire) => {
    if (wire.t === "chunk" && wire.i === 3 && !dropped) {
      dropped = true;
      return null;
    }
    return wire;
  });
  const bytes = bytesOf(300_000);
  p.sender.send(new File([bytes], "lost.bin"));
  await until(() => only(p.receiver)?.state === "done", "received after the stall", 10_000);
  assert.ok(dropped);
  assert.deepEqual(new Uint8Array(await (await fetch(only(p.receiver).url!)).arrayBuffer()), bytes);
});

Deno.test("[files] a receiver whose sender went quiet stops, and says so", async () => {
  // The sender vanished after its first chunks (its page closed): nothing more comes.
  let chunks = 0;
  using p = pair((wire) => wire.t === "chunk" && ++chunks > 2 ? null : wire, 300);
  p.sender.send(new File([bytesOf(500_000)], "gone.bin"));
  await until(() => only(p.receiver)?.state === "receiving", "offered");
  const started = Date.now();
  await until(() => only(p.receiver).state === "ended", "stopped");
  assert.ok(Date.now() - started >= 250, "not before the stall time");
  assert.match(only(p.receiver).why!, /connection to them was lost/);
  assert.equal(only(p.receiver).bytes, 0);
  p.sender.cancel(only(p.sender).id);
});

Deno.test("[files] chunks that keep coming, however slowly, keep a transfer going", async () => {
  const held: FileWire[] = [];
  using p = pair((wire) => {
    if (wire.t !== "chunk") return wire;
    held.push(wire);
    return null;
  }, 300);
  // A chunk every 100 ms: each is within the stall time of the one before.
  const reader = setInterval(() => held.length && p.toReceiver(held.shift()!), 100);
  p.path.value = "relayed";
  p.sender.send(new File([bytesOf(200_000)], "slow.bin"));
  await until(() => only(p.receiver)?.state === "done", "received");
  clearInterval(reader);
});

Deno.test("[files] a sender's cancel that overtook the last chunks still cancels on both sides", async () => {
  using p = pair();
  p.sender.send(new File([bytesOf(100_000)], "late.bin"));
  await until(() => only(p.receiver)?.state === "done", "received");
  const { id, url } = only(p.receiver);
  // As if the sender pressed Cancel before the last acknowledgement reached it.
  p.toReceiver({ t: "fend", id, why: "cancel" });
  assert.equal(only(p.receiver).state, "ended");
  assert.equal(only(p.receiver).why, "They cancelled it.");
  await assert.rejects(fetch(url!), "its object URL was let go");
});
