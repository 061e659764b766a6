/**
 * The fan-out survives connections that die without saying so: postgres.js reconnects a
 * connection that closes, but one that goes silent (half-open TCP; in CI, a listener that never
 * came back after its backend was terminated) leaves it deaf and its NOTIFYs hanging. The instance
 * here reaches PostgreSQL through a forwarder that freezes its connections: frames from another
 * instance must reach its seat again without a restart, because it noticed that it no longer
 * hears its own heartbeat and replaced its clients.
 */
import assert from "node:assert/strict";
import { PostgresFanout } from "../../server/ws/pg_fanout.ts";
import { createTestSchema, postgresTest, TEST_POSTGRES_URL } from "../test_store.ts";
import { tcpForwarder } from "./tcp_forwarder.ts";

async function until(what: string, check: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

await postgresTest(
  "[fan-out] an instance whose connections went silent replaces them, and frames reach its seat again",
  async () => {
    await using schema = await createTestSchema();
    const real = new URL(TEST_POSTGRES_URL);
    await using forwarder = tcpForwarder({
      hostname: real.hostname,
      port: Number(real.port || 5432),
    });
    const viaForwarder = new URL(real);
    viaForwarder.port = String(forwarder.port);
    const cutOff = await PostgresFanout.start({
      url: viaForwarder.toString(),
      schema: schema.target.schema,
    });
    const sender = await PostgresFanout.start(schema.target);
    const errors: unknown[][] = [];
    const logError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const received: string[] = [];
      cutOff.attach("session-1", "host", { deliver: (f) => received.push(f), end: () => {} });
      await until("the sender sees the seat", () => sender.present("session-1").has("host"));
      sender.send("session-1", "host", "before");
      await until("a frame before the cut", () => received.includes("before"));

      forwarder.freeze();

      await until("a frame after the cut", () => {
        sender.send("session-1", "host", "after");
        return received.includes("after");
      });
      assert.ok(
        errors.some((args) => String(args[0]).includes("clients replaced")),
        "the watchdog replaced the clients",
      );
    } finally {
      console.error = logError;
      await Promise.all([cutOff.close(), sender.close()]);
    }
  },
);
