/**
 * Acceptance of issue 8: floods from one address while a bystander pair chats. The server is its
 * own process (tests/hostile_server.ts) with the default limits; the attacker is 127.0.0.1 and the
 * bystander [::1], two addresses on one machine. Each flood runs a few seconds and stops by itself.
 */
import assert from "node:assert/strict";
import {
  binaryFlood,
  bystanderPair,
  oversizedFlood,
  preAuthFlood,
  sleep,
  slowHeaderFlood,
  slowReaderFlood,
  startServerProcess,
  worstCaseHold,
} from "./hostile_floods.ts";

/** README "Hostile clients": the most the floods may grow the server's resident memory. */
const MEMORY_BUDGET_MB = 150;
const ROUND_TRIP_P99_MS = 250;
const FLOOD_MS = 4_000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
};

Deno.test("[hostile] floods from one address: the server stays up, healthy and quick for others", async () => {
  const server = await startServerProcess();
  try {
    const bystander = await bystanderPair(server.bystanderUrl);
    await sleep(500);
    const baseline = server.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, server.rss())), 100);
    const health: number[] = [];
    let checking = true;
    const healthLoop = (async () => {
      while (checking) {
        const response = await fetch(`${server.bystanderUrl}/api/health`).catch(() => null);
        health.push(response?.status ?? 0);
        await response?.body?.cancel();
        await sleep(250);
      }
    })();
    const floods = { binaryFlood, oversizedFlood, preAuthFlood, slowHeaderFlood, slowReaderFlood };
    const growth: Record<string, number> = {};
    for (const [name, flood] of Object.entries(floods)) {
      const before = peak;
      await flood(server.port, FLOOD_MS);
      growth[name] = Math.round((peak - before) / 2 ** 20);
    }
    checking = false;
    await healthLoop;
    clearInterval(sampler);
    await bystander.stop();

    assert.ok(server.alive(), "the server process is still running");
    assert.ok(health.length > 10 && health.every((status) => status === 200), `health ${health}`);
    const p99 = percentile(bystander.roundTrips, 0.99);
    const grownMb = (peak - baseline) / 2 ** 20;
    console.log(
      `hostile: ${bystander.roundTrips.length} round trips, p99 ${p99.toFixed(1)} ms; ` +
        `memory ${(baseline / 2 ** 20).toFixed(0)} MB + ${grownMb.toFixed(0)} MB at peak ` +
        `(per flood ${JSON.stringify(growth)})`,
    );
    assert.ok(bystander.roundTrips.length > 50, "the bystander kept chatting");
    assert.ok(p99 < ROUND_TRIP_P99_MS, `bystander round trip p99 ${p99} ms`);
    assert.ok(grownMb < MEMORY_BUDGET_MB, `memory grew ${grownMb.toFixed(0)} MB`);
  } finally {
    await server.stop();
  }
});

Deno.test("[hostile] running out of file descriptors does not end the process", async () => {
  // 3 descriptors per client connection (client, front->app, app side): 150 exceed 256.
  const server = await startServerProcess({
    fdLimit: 256,
    env: { CHAT_CONNECTIONS_PER_ADDRESS: "1000" },
  });
  try {
    const conns: Deno.Conn[] = [];
    for (let i = 0; i < 150; i++) {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
      await conns[i].write(new TextEncoder().encode("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"))
        .catch(() => {});
    }
    await sleep(1_000);
    assert.ok(server.alive(), "alive at the descriptor limit");
    for (const conn of conns) {
      try {
        conn.close();
      } catch { /* cut by the server */ }
    }
    await sleep(1_500);
    const response = await fetch(`${server.bystanderUrl}/api/health`);
    assert.equal(response.status, 200);
    await response.body?.cancel();
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});

Deno.test("[hostile] the most one address can hold at once stays within the memory budget", async () => {
  const server = await startServerProcess();
  try {
    await sleep(500);
    const baseline = server.rss();
    const conns = await worstCaseHold(server.port);
    let peak = server.rss();
    for (let i = 0; i < 10; i++) {
      await sleep(200);
      peak = Math.max(peak, server.rss());
    }
    const grownMb = (peak - baseline) / 2 ** 20;
    console.log(
      `hostile: worst case from one address, ${conns.length} connections, +${
        grownMb.toFixed(0)
      } MB`,
    );
    assert.ok(server.alive());
    assert.ok(grownMb < MEMORY_BUDGET_MB, `memory grew ${grownMb.toFixed(0)} MB`);
    for (const conn of conns) {
      try {
        conn.close();
      } catch { /* cut by the server */ }
    }
  } finally {
    await server.stop();
  }
});
