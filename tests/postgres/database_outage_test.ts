/**
 * Losing PostgreSQL while running: the instance reaches the shared server through a forwarder the
 * test controls (tcp_forwarder.ts), which is cut and restored. Meanwhile health says 503, mints
 * and joins answer 503 with a detail saying the database is unreachable (not a generic 500), the
 * process lives, and it serves again by itself once the database is back.
 */
import assert from "node:assert/strict";
import { systemClock } from "../../server/clock.ts";
import { serve } from "../../server/serve.ts";
import { testConfig } from "../helpers.ts";
import {
  createTestSchema,
  openTestPostgres,
  postgresTest,
  TEST_POSTGRES_URL,
} from "../test_store.ts";
import { tcpForwarder } from "./tcp_forwarder.ts";

const MINT = JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 30 });

async function post(url: string, body: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: response.status, body: await response.json() };
}

async function healthStatus(base: string): Promise<number> {
  const response = await fetch(`${base}/api/health/database`);
  await response.body?.cancel();
  return response.status;
}

async function until(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

await postgresTest(
  "[deploy] with the database unreachable, health, mints and joins answer 503 saying so, and the instance recovers by itself",
  async () => {
    await using schema = await createTestSchema();
    const real = new URL(TEST_POSTGRES_URL);
    await using forwarder = tcpForwarder({
      hostname: real.hostname,
      port: Number(real.port || 5432),
    });
    real.port = String(forwarder.port);
    const database = await openTestPostgres({
      url: real.toString(),
      schema: schema.target.schema,
    });
    const server = await serve(testConfig(), database, systemClock, {
      quiet: true,
      handleSignals: false,
    });
    try {
      const base = server.url;
      const minted = await post(`${base}/api/tokens`, MINT);
      assert.equal(minted.status, 201);
      const token = minted.body.token;
      assert.equal(
        (await post(`${base}/api/sessions/join`, JSON.stringify({ token }))).status,
        200,
      );

      forwarder.cut();
      await until("health says 503", async () => (await healthStatus(base)) === 503);
      for (
        const [path, body] of [
          ["/api/tokens", MINT],
          ["/api/sessions/join", JSON.stringify({ token })],
        ]
      ) {
        const answer = await post(`${base}${path}`, body);
        assert.equal(answer.status, 503, `${path}: ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.detail, /database is unreachable/i);
      }

      forwarder.restore();
      await until("health says 200", async () => (await healthStatus(base)) === 200);
      assert.equal(
        (await post(`${base}/api/sessions/join`, JSON.stringify({ token }))).status,
        200,
      );
      const again = await post(`${base}/api/tokens`, MINT);
      assert.equal(again.status, 201, JSON.stringify(again.body));
    } finally {
      await server.shutdown();
    }
  },
);
