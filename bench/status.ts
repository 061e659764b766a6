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
import { cpuSeconds } from "./proc.ts";
import { emptySection, type Row, type SectionResult } from "./report.ts";

export interface StatusOptions {
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

export async function statusBench(options: StatusOptions): Promise<SectionResult> {
  const section = emptySection();
  const measure = async (url: string) => {
    const load = (seconds: number) =>
      httpLoad({ url, method: "GET", connections: options.connections, seconds });
    if (options.warmupSeconds > 0) await load(options.warmupSeconds);
    const before = cpuSeconds("self");
    const result = await load(options.seconds);
    return { result, serverCpu: (cpuSeconds("self") - before) / result.seconds };
  };

  const hello = await withHello((url) => measure(url));
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-bench-status-" });
  let status: Awaited<ReturnType<typeof measure>>;
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
      const token = await activeSession(server.url);
      status = await measure(`${server.url}/api/sessions/${token}/status`);
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }

  const row = (subject: string, m: { result: HttpLoadResult; serverCpu: number }): Row => ({
    section: "status",
    subject: `${subject} (${m.result.client}, ${options.connections} conns)`,
    value: m.result.perSecond,
    unit: "reads/s",
    p50: m.result.p50,
    p99: m.result.p99,
    max: m.result.max,
    serverCpu: m.serverCpu,
    clientCpu: m.result.clientCpu,
    errors: m.result.errors,
  });
  section.rows.push(
    row("GET /api/sessions/{token}/status", status),
    row("bare Deno.serve hello", hello),
  );
  const ratio = status.result.perSecond / hello.result.perSecond;
  section.checks.push({
    name: "status: endpoint / hello server",
    value: ratio,
    target: ">= 0.3",
    met: ratio >= 0.3 && status.result.errors === 0,
    detail: status.result.errors ? `${status.result.errors} errors` : undefined,
  });
  section.details = { status, hello };
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
