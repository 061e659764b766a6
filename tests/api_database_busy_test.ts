/**
 * Point 11 of issue 8: a SQLite lock held by another process. Writes answer 503 at once with a
 * clear detail (the busy timeout is short, so the event loop is never held for seconds), reads
 * go on, health notices, and everything recovers when the lock goes. Also: a 5xx is logged with
 * the route's shape, never the token in its path.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { BUSY_TIMEOUT_MS } from "../server/db/busy.ts";
import { openSqlite } from "../server/db/sqlite_dialect.ts";
import { MINT_BODY, postJson, withApp, withServer } from "./helpers.ts";

Deno.test("[database] the busy timeout is short and set on every connection", () => {
  assert.ok(BUSY_TIMEOUT_MS <= 250, `${BUSY_TIMEOUT_MS} ms`);
  const sqlite = openSqlite(":memory:");
  const row = sqlite.raw.prepare("PRAGMA busy_timeout").get() as { timeout: number };
  sqlite.close();
  assert.equal(row.timeout, BUSY_TIMEOUT_MS);
});

Deno.test("[database] a write lock held by another connection: 503 while held, health notices", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/chat.db`;
    await using server = await withServer({ databasePath: path });
    const minted = await (await fetch(`${server.url}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(MINT_BODY),
    })).json();

    const other = new DatabaseSync(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      const mint = await fetch(`${server.url}/api/tokens`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(MINT_BODY),
      });
      assert.equal(mint.status, 503);
      assert.equal(mint.headers.get("retry-after"), "1");
      assert.match((await mint.json()).detail, /database is busy/);

      const join = await fetch(`${server.url}/api/sessions/join`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: minted.token }),
      });
      assert.equal(join.status, 503);
      await join.body?.cancel();

      const form = await fetch(`${server.url}/`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "intent=mint&validity_period=1_day&session_ttl_minutes=5&message_char_limit=2000",
      });
      assert.equal(form.status, 503);
      assert.match(await form.text(), /database is busy/);

      const health = await fetch(`${server.url}/api/health/database`);
      assert.equal(health.status, 503);
      assert.equal((await health.json()).status, "busy");
      const overall = await (await fetch(`${server.url}/api/health`)).json();
      assert.equal(overall.database, "busy");

      // Readers are not blocked by a writer under WAL.
      const status = await fetch(`${server.url}/api/sessions/${minted.token}/status`);
      assert.equal(status.status, 200);
      await status.body?.cancel();
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    const health = await fetch(`${server.url}/api/health/database`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const mint = await fetch(`${server.url}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(MINT_BODY),
    });
    assert.equal(mint.status, 201);
    await mint.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[log] a 5xx names the route's shape, never the token or credential", async () => {
  await using t = await withApp();
  const { token } = await (await postJson(t.app, "/api/tokens", MINT_BODY)).json();
  await t.database.close(); // Every query now fails: a real 500.
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    const requests = [
      t.app.request(`/api/sessions/${token}/status`),
      t.app.request(`/api/sessions/${token}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${"C".repeat(43)}` },
      }),
      t.app.request(`/session/${token}`),
    ];
    for (const response of await Promise.all(requests)) {
      assert.equal(response.status, 500);
      await response.body?.cancel();
    }
  } finally {
    console.error = original;
  }
  const log = lines.join("\n");
  assert.ok(log.includes("/api/sessions/:param/status"), log);
  assert.ok(log.includes("DELETE /api/sessions/:param"), log);
  assert.ok(log.includes("/session/:param"), log);
  assert.ok(!log.includes(token), "the token was logged");
  assert.ok(!log.includes("C".repeat(43)), "the credential was logged");
});
