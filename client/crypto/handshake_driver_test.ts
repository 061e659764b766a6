import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import { HandshakeDriver } from "./handshake_driver.ts";
import type { HandshakeResult } from "./handshake.ts";
import type { HandshakeMessage } from "./handshake_messages.ts";
import { newLinkSecret, parseLinkSecret } from "./link_secret.ts";
import { SignalSealer } from "./signal_sealer.ts";

const TOKEN = "tok_driver";
const reason = (r: string) => (e: unknown) => e instanceof CryptoCheckError && e.reason === r;

/** Two seats talking through sealed signals, like the real relay; records what completed. */
async function seats(linkSecret = parseLinkSecret(newLinkSecret())) {
  const sealer = await SignalSealer.create(TOKEN, linkSecret);
  const make = (role: "host" | "guest") => new HandshakeDriver({ role, token: TOKEN, linkSecret });
  const world = {
    linkSecret,
    host: make("host"),
    guest: make("guest"),
    results: { host: [] as HandshakeResult[], guest: [] as HandshakeResult[] },
    /** Delivers `messages` to `to`, then every reply, until nothing is left. */
    async deliver(to: "host" | "guest", messages: HandshakeMessage[]) {
      const queue = messages.map((m) => [to, m] as const);
      while (queue.length > 0) {
        const [target, message] = queue.shift()!;
        const step = await world[target].receive(await sealer.open(await sealer.seal(message)));
        if (step.result) world.results[target].push(step.result);
        const back = target === "host" ? "guest" : "host";
        queue.push(...step.send.map((m) => [back, m] as const));
      }
    },
  };
  return world;
}

async function assertTalk(host: HandshakeResult, guest: HandshakeResult) {
  assert.deepEqual(host.safetyCode, guest.safetyCode);
  assert.equal(await guest.channel.open(await host.channel.seal("ping")), "ping");
  assert.equal(await host.channel.open(await guest.channel.seal("pong")), "pong");
}

Deno.test("[crypto] driver: the guest's hello makes the host commit, and both finish once", async () => {
  const w = await seats();
  await w.deliver("host", await w.guest.start());
  assert.equal(w.results.host.length, 1);
  assert.equal(w.results.guest.length, 1);
  await assertTalk(w.results.host[0], w.results.guest[0]);
  // The host's eager start() also works, and a hello from the guest is harmless.
  const v = await seats(null);
  await v.deliver("guest", await v.host.start());
  await assertTalk(v.results.host[0], v.results.guest[0]);
});

Deno.test("[crypto] driver: after a host reload the guest restarts on the new commit's hid", async () => {
  const w = await seats();
  await w.deliver("guest", await w.host.start());
  const oldHid = w.host.current!.id;
  // A reload loses all in-memory state; the new page has the same token and link secret.
  w.host = new HandshakeDriver({ role: "host", token: TOKEN, linkSecret: w.linkSecret });
  await w.deliver("guest", await w.host.start());
  assert.notEqual(w.host.current!.id, oldHid);
  assert.equal(w.guest.current!.id, w.host.current!.id);
  assert.equal(w.results.guest.length, 2);
  await assertTalk(w.results.host[1], w.results.guest[1]);
  // The old channel cannot read the new one: every attempt has fresh keys.
  await assert.rejects(
    w.results.guest[0].channel.open(await w.results.host[1].channel.seal("x")),
    reason("decrypt_failed"),
  );
});

Deno.test("[crypto] driver: a guest mid-handshake restarts on a new hid and ignores stale messages", async () => {
  const w = await seats();
  const [commitA] = await w.host.start();
  const keyA = (await w.guest.receive(commitA)).send;
  assert.equal(keyA[0].kind, "key");
  // The host restarts (e.g. reload) before seeing the guest's key.
  const [commitB] = await w.host.start();
  assert.notEqual(commitB.hid, commitA.hid);
  await w.deliver("host", keyA); // stale: ignored by the host
  assert.equal(w.results.host.length, 0);
  await w.deliver("guest", [commitB]);
  assert.equal(w.guest.current!.id, commitB.hid);
  await assertTalk(w.results.host[0], w.results.guest[0]);
});

Deno.test("[crypto] driver: after a guest reload its hello restarts a finished host", async () => {
  const w = await seats();
  await w.deliver("host", await w.guest.start());
  const firstHid = w.host.current!.id;
  await w.deliver("host", await w.guest.start()); // a reloaded guest says hello again
  assert.notEqual(w.host.current!.id, firstHid);
  assert.equal(w.results.host.length, 2);
  await assertTalk(w.results.host[1], w.results.guest[1]);
});

Deno.test("[crypto] driver: replays after a finished attempt are ignored, failures can restart", async () => {
  const w = await seats();
  const [commit] = await w.host.start();
  const [key] = (await w.guest.receive(commit)).send;
  const [reveal] = (await w.host.receive(key)).send;
  const guestStep = await w.guest.receive(reveal);
  assert.ok(guestStep.result);
  const hostStep = await w.host.receive(guestStep.send[0]);
  assert.ok(hostStep.result);
  assert.deepEqual(await w.guest.receive(reveal), { send: [], result: null });
  assert.deepEqual(await w.host.receive(guestStep.send[0]), { send: [], result: null });
  await assert.rejects(w.guest.receive({ kind: 1 }), reason("malformed"));

  // A forged reveal poisons an attempt; the guest's next start() gets a clean one.
  const v = await seats();
  const [c] = await v.host.start();
  const [k] = (await v.guest.receive(c)).send;
  const [r] = (await v.host.receive(k)).send;
  await assert.rejects(v.guest.receive({ ...r, nonce: r.pub }), reason("commitment_mismatch"));
  await v.deliver("host", await v.guest.start());
  await assertTalk(v.results.host[0], v.results.guest[0]);
});
