/** `deno task start` in a fresh copy of the repository, as a self-hoster would run it. */
import assert from "node:assert/strict";
import { baseEnv, checkoutFiles, copyInto, freePort, startServer } from "./fresh_copy.ts";

Deno.test("[start] deno task start in a fresh copy serves health 200 and creates data/", async () => {
  const dir = await copyInto(await checkoutFiles());
  try {
    assert.equal(await Deno.stat(`${dir}/data`).catch(() => null), null, "no data/ in the copy");
    const port = freePort();
    const server = await startServer("deno", ["task", "start"], {
      cwd: dir,
      env: baseEnv({ PORT: String(port), CHAT_HOST: "127.0.0.1" }),
      port,
    });
    try {
      const health = await fetch(`${server.url}/api/health`);
      assert.equal(health.status, 200);
      assert.equal((await health.json()).database, "ok");
      const database = await fetch(`${server.url}/api/health/database`);
      assert.equal(database.status, 200);
      assert.deepEqual(await database.json(), { status: "ok" });
      // The default database URL, sqlite:./data/chat_orbit.db, created its folder.
      assert.ok((await Deno.stat(`${dir}/data`)).isDirectory);
      assert.ok((await Deno.stat(`${dir}/data/chat_orbit.db`)).isFile);

      // It serves the API, not only health.
      const minted = await fetch(`${server.url}/api/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 5 }),
      });
      assert.equal(minted.status, 201);
      await minted.body?.cancel();
    } finally {
      const code = await server.stop();
      assert.equal(code, 0, `SIGTERM shuts down cleanly:\n${server.output()}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[start] a bad configuration value stops start-up with a message naming it", async () => {
  const dir = await copyInto(await checkoutFiles());
  try {
    for (
      const [variable, value] of [
        ["PORT", "eighty"],
        ["CHAT_DATABASE_URL", "mysql://db/chat"],
        ["CHAT_CORS_ALLOWED_ORIGINS", "not an origin"],
        ["CHAT_PUBLIC_URL", "https://chat.example.org/sub/path"],
      ]
    ) {
      const result = await new Deno.Command("deno", {
        args: ["task", "start"],
        cwd: dir,
        env: baseEnv({ CHAT_HOST: "127.0.0.1", PORT: String(freePort()), [variable]: value }),
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(result.stderr);
      assert.notEqual(result.code, 0, `${variable}=${value} should stop start-up`);
      assert.match(stderr, new RegExp(`${variable}`), stderr);
      assert.doesNotMatch(stderr, /^\s+at /m, "a one-line message, not a stack trace");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
