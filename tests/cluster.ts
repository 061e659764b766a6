/** Several real instances (servers) sharing one PostgreSQL schema, for the cross-instance tests. */
import { ManualClock } from "../server/clock.ts";
import { type RunningServer, serve } from "../server/serve.ts";
import { testConfig } from "./helpers.ts";
import type { TestSocket } from "./ws_client.ts";
import { createTestSchema, openTestPostgres, type TestSchema } from "./test_store.ts";

export interface Cluster {
  servers: RunningServer[];
  schema: TestSchema;
  clock: ManualClock;
  [Symbol.asyncDispose](): Promise<void>;
}

/** `count` instances on one fresh schema and one manual clock; `await using` stops them all. */
export async function withCluster(
  count: number,
  env: Record<string, string> = {},
): Promise<Cluster> {
  const schema = await createTestSchema();
  const clock = new ManualClock(Date.now());
  const servers: RunningServer[] = [];
  for (let i = 0; i < count; i++) {
    const database = await openTestPostgres(schema.target);
    servers.push(
      await serve(testConfig(env), database, clock, { quiet: true, handleSignals: false }),
    );
  }
  return {
    servers,
    schema,
    clock,
    async [Symbol.asyncDispose]() {
      await Promise.all(servers.map((server) => server.shutdown()));
      await schema[Symbol.asyncDispose]();
    },
  };
}

/**
 * Sends a relay `payload` from one seat until the other receives it, as the client's
 * resend-until-acknowledged does: a frame sent while a seat or a listener is reconnecting may be
 * lost on the way, and nothing else is allowed to be.
 */
export async function getsThrough(from: TestSocket, to: TestSocket, payload: string) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    from.send({ type: "relay", payload });
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      const frame = await to.next("relay", Math.max(1, until - Date.now())).catch(() => null);
      if (frame?.type === "relay" && frame.payload === payload) return;
    }
  }
  throw new Error(`${payload} never got through`);
}
