/**
 * Status reads: GET /api/sessions/{token}/status on the real server (an active session with both
 * seats taken) against a bare `Deno.serve(() => new Response("hello"))`, same client, same load.
 */
import { systemClock } from "../server/clock.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/database.ts";
import { serve } from "../server/serve.ts";
import { httpLoad, type HttpLoadResult } from "./http_load.ts";
import { MINT_REQUEST } from "./mint.ts";
import { measureServerInProcess } from "./proc.ts";
import { emptySection, type Row, type SectionResult } from "./report.ts";

type Measured = HttpLoadResult & { serverCpu: number; otherCpu: number };

export interface StatusOptions {
  /** Alternating rounds of hello and status; the best of each counts. */
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

export async function statusBench(options: StatusOptions): Promise<SectionResult> {
  const section = emptySection();
  const load = (url: string, seconds: number) =>
    httpLoad({ url, method: "GET", connections: options.connections, seconds });
  const helloRounds: Measured[] = [];
  const statusRounds: Measured[] = [];
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-bench-status-" });
  try {
    const config = loadConfig({
      CHAT_DATABASE_URL: `sqlite:${dir}/server.db`,
      CHAT_HOST: "127.0.0.1",
      PORT: "0",
    });
    const database = await openDatabase(config.sqlitePath);
    const server = await serve(config, database, systemClock, {
      quiet: true,
      handleSignals: false,
    });
    try {
      const statusUrl = `${server.url}/api/sessions/${await activeSession(server.url)}/status`;
      await withHello(async (helloUrl) => {
        if (options.warmupSeconds > 0) {
          await load(helloUrl, options.warmupSeconds);
          await load(statusUrl, options.warmupSeconds);
        }
        // Taking turns, so a burst of other work on the machine hits both alike.
        for (let round = 0; round < options.rounds; round++) {
          helloRounds.push(await measureServerInProcess(() => load(helloUrl, options.seconds)));
          statusRounds.push(await measureServerInProcess(() => load(statusUrl, options.seconds)));
        }
      });
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  const best = (rounds: Measured[]) => rounds.reduce((a, b) => b.perSecond > a.perSecond ? b : a);
  const [hello, status] = [best(helloRounds), best(statusRounds)];

  const row = (subject: string, m: Measured): Row => ({
    section: "status",
    subject: `${subject} (${m.client}, ${options.connections} conns)`,
    value: m.perSecond,
    unit: "reads/s",
    p50: m.p50,
    p99: m.p99,
    max: m.max,
    serverCpu: m.serverCpu,
    clientCpu: m.clientCpu,
    otherCpu: m.otherCpu,
    errors: m.errors,
  });
  section.rows.push(
    row("GET /api/sessions/{token}/status", status),
    row("bare Deno.serve hello", hello),
  );
  const ratio = status.perSecond / hello.perSecond;
  section.checks.push({
    name: "status: endpoint / hello server",
    value: ratio,
    target: ">= 0.3",
    met: ratio >= 0.3 && status.errors === 0,
    detail: status.errors
      ? `${status.errors} errors`
      // Below ~85% of a core the hello server waited on the client: its rate, and so the ratio's
      // denominator, says more about the client than the server.
      : hello.serverCpu < 0.85
      ? `hello server at ${Math.round(hello.serverCpu * 100)}% CPU: client-bound, ratio overstated`
      : undefined,
  });
  const cpu = (m: Measured) => (m.serverCpu / m.perSecond) * 1e6;
  section.notes.push(
    `status: server CPU per request (robust to other load): status ${cpu(status).toFixed(1)} µs, ` +
      `hello ${cpu(hello).toFixed(1)} µs (ratio ${(cpu(hello) / cpu(status)).toFixed(2)}).`,
  );
  section.details = { status: statusRounds, hello: helloRounds };
  return section;
}

async function withHello<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const { promise: listening, resolve } = Promise.withResolvers<number>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: ({ port }) => resolve(port) },
    () => new Response("hello"),
  );
  try {
    return await fn(`http://127.0.0.1:${await listening}/`);
  } finally {
    await server.shutdown();
  }
}

/** Mints a token and takes both seats, so the status read covers participants too. */
async function activeSession(base: string): Promise<string> {
  const post = async (path: string, body: string) => {
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return await response.json();
  };
  const { token } = await post("/api/tokens", MINT_REQUEST);
  await post("/api/sessions/join", JSON.stringify({ token }));
  await post("/api/sessions/join", JSON.stringify({ token }));
  return token;
}
