import assert from "node:assert/strict";
import { createApp } from "../server/app.ts";
import { ManualClock } from "../server/clock.ts";
import { openDatabase } from "../server/db/database.ts";
import { MINT_BODY, postJson, testConfig } from "./helpers.ts";

function contains(haystack: Uint8Array, needle: string): boolean {
  const bytes = new TextEncoder().encode(needle);
  outer: for (let i = 0; i + bytes.length <= haystack.length; i++) {
    for (let j = 0; j < bytes.length; j++) {
      if (haystack[i + j] !== bytes[j]) continue outer;
    }
    return true;
  }
  return false;
}

async function filesOf(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) files.set(entry.name, await Deno.readFile(`${dir}/${entry.name}`));
  }
  return files;
}

Deno.test("[storage] the database file holds no token, seat credential, identity or address", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const database = await openDatabase(`${dir}/chat.db`);
    const clock = new ManualClock();
    const { app, deps } = createApp(testConfig({ CHAT_TRUST_PROXY: "1" }), database.db, clock);
    const address = "203.0.113.177";
    const secrets: string[] = [address];
    for (let i = 0; i < 3; i++) {
      const mintIdentity = `mint-identity-${crypto.randomUUID()}`;
      const minted = await postJson(app, "/api/tokens", {
        ...MINT_BODY,
        client_identity: mintIdentity,
      }, { "x-forwarded-for": address });
      assert.equal(minted.status, 201);
      const { token } = await minted.json();
      secrets.push(token, mintIdentity);
      for (const role of ["host", "guest"]) {
        const identity = `${role}-identity-${crypto.randomUUID()}`;
        const joined = await postJson(app, "/api/sessions/join", {
          token,
          client_identity: identity,
        }, { "x-forwarded-for": address });
        assert.equal(joined.status, 200);
        const { participant_id } = await joined.json();
        secrets.push(participant_id, identity);
      }
    }
    // Sanity check of the search itself: the schema's own words are found.
    const check = async () => {
      const files = await filesOf(dir);
      assert.ok([...files.values()].some((bytes) => contains(bytes, "token_hash")));
      for (const [name, bytes] of files) {
        for (const secret of secrets) {
          assert.ok(!contains(bytes, secret), `${name} contains ${secret}`);
        }
      }
    };
    await check(); // while open: main file, WAL and shared memory
    deps.hub.shutdown();
    await database.close();
    await check(); // after the WAL is checkpointed into the main file
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[storage] no log line carries a token, credential, identity or payload", async () => {
  const { withServer } = await import("./helpers.ts");
  const { activeSession, authed, socketUrl, TestSocket } = await import("./ws_client.ts");
  const lines: string[] = [];
  const originals = {
    log: console.log,
    error: console.error,
    warn: console.warn,
    info: console.info,
  };
  for (const name of ["log", "error", "warn", "info"] as const) {
    console[name] = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  }
  const secrets: string[] = [];
  try {
    await using server = await withServer();
    const seats = await activeSession(server.url);
    secrets.push(seats.token, seats.host, seats.guest);
    const { socket: host } = await authed(server.url, seats.token, seats.host);
    const { socket: guest } = await authed(server.url, seats.token, seats.guest);
    const payload = `secret-payload-${crypto.randomUUID()}`;
    secrets.push(payload);
    host.send({ type: "relay", payload });
    await guest.nextOfType("relay");
    host.send({ type: "signal", signalType: "offer", payload: { sdp: payload } });
    await guest.nextOfType("signal");
    host.send(`{"type":"relay","payload":${JSON.stringify(payload)}`); // broken JSON
    await host.nextOfType("error");
    const wrong = await TestSocket.open(socketUrl(server.url, seats.token));
    wrong.send({ type: "auth", participant_id: `${seats.host}-wrong` });
    await wrong.closed();
    await fetch(`${server.url}/api/sessions/${seats.token}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${seats.guest}-wrong` },
    }).then((r) => r.body?.cancel());
    await fetch(`${server.url}/api/sessions/${seats.token}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${seats.guest}` },
    }).then((r) => r.body?.cancel());
    await host.closed();
    await guest.closed();
  } finally {
    Object.assign(console, originals);
  }
  for (const line of lines) {
    for (const secret of secrets) assert.ok(!line.includes(secret), `logged: ${line}`);
  }
});
