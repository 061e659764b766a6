import assert from "node:assert/strict";
import { ManualClock } from "./clock.ts";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { serve } from "./serve.ts";

Deno.test("[serve] configuration warnings are printed at start-up", async () => {
  const config = loadConfig({
    PORT: "0",
    CHAT_HOST: "127.0.0.1",
    CHAT_DATABASE_URL: "sqlite::memory:",
    CHAT_WEBRTC_STUN_URLS: "stun:127.0.0.1:3478,stun:stun.example.com",
    CHAT_WEBRTC_TURN_USER: "only-a-user",
  });
  const printed: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    const server = await serve(config, await openDatabase(":memory:"), new ManualClock(), {
      quiet: true,
      handleSignals: false,
    });
    await server.shutdown();
  } finally {
    console.warn = warn;
  }
  assert.equal(printed.length, 2, printed.join("\n"));
  assert.ok(printed.some((line) => line.includes("stun:127.0.0.1:3478")));
  assert.ok(printed.some((line) => line.includes("TURN")));
});

Deno.test("[serve] listens on the configured host, reports its port, and shuts down once", async () => {
  const config = loadConfig({
    PORT: "0",
    CHAT_HOST: "127.0.0.1",
    CHAT_DATABASE_URL: "sqlite::memory:",
  });
  const server = await serve(config, await openDatabase(":memory:"), new ManualClock(), {
    quiet: true,
    handleSignals: false,
  });
  assert.ok(server.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  const health = await fetch(`${server.url}/api/health`);
  assert.equal(health.status, 200);
  await health.body?.cancel();
  await Promise.all([server.shutdown(), server.shutdown()]);
  await server.finished;
  await assert.rejects(fetch(`${server.url}/api/health`));
});
