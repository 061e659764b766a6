/**
 * Sets up N sessions through the real API all at once: each session mints a token, then the host
 * and the guest join, and the N chains run concurrently. Counts every failure (the original
 * backend answered 500s with 100 at once). Writes the credentials for the load client.
 * Usage: deno run --allow-net --allow-write setup.ts '{"base":..,"sessions":N,"out":path}'
 */
import { summarize } from "../stats.ts";

interface SetupOptions {
  base: string;
  sessions: number;
  out: string;
  /** Sessions set up at a time; all at once when absent. */
  concurrency?: number;
}

export interface SetupResult {
  sessions: number;
  ok: number;
  errors: number;
  /** Failure counts by HTTP status or error name. */
  failures: Record<string, number>;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export interface PairCredentials {
  token: string;
  host: string;
  guest: string;
}

const MINT = JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 1440 });

async function run(options: SetupOptions): Promise<SetupResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const post = async (path: string, body: string) => {
    const began = performance.now();
    const response = await fetch(`${options.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const json = await response.json().catch(() => null);
    latencies.push(performance.now() - began);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return json;
  };
  const session = async (): Promise<PairCredentials | null> => {
    try {
      const { token } = await post("/api/tokens", MINT);
      const host = await post("/api/sessions/join", JSON.stringify({ token }));
      const guest = await post("/api/sessions/join", JSON.stringify({ token }));
      if (host.role !== "host" || guest.role !== "guest") throw new Error("wrong roles");
      return { token, host: host.participant_id, guest: guest.participant_id };
    } catch (error) {
      const key = error instanceof Error ? error.message : String(error);
      failures[key] = (failures[key] ?? 0) + 1;
      return null;
    }
  };
  const start = performance.now();
  const workers = Math.min(options.concurrency ?? options.sessions, options.sessions);
  const results: (PairCredentials | null)[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < options.sessions) results[next++] = await session();
  }));
  const seconds = (performance.now() - start) / 1000;
  const pairs = results.filter((pair): pair is PairCredentials => pair !== null);
  await Deno.writeTextFile(options.out, JSON.stringify(pairs));
  const { p50, p99, max } = summarize(latencies);
  return {
    sessions: options.sessions,
    ok: pairs.length,
    errors: options.sessions - pairs.length,
    failures,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50,
    p99,
    max,
  };
}

if (import.meta.main) {
  console.log(JSON.stringify(await run(JSON.parse(Deno.args[0]) as SetupOptions)));
  Deno.exit(0);
}
