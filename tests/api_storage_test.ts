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
