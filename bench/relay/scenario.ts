/**
 * The relay benchmark: the real hub, a minimal Deno relay and a minimal node `ws` relay, each in its
 * own process, driven by the same load client process with the same frames and pacing.
 *
 * Per relay: (hub only) set up every session through the API at once, connect all pairs and read
 * the idle memory per socket, then saturating runs at growing pair counts and one paced run.
 */
import { rssBytes, spawnJson } from "../proc.ts";
import { emptySection, type Row, type SectionResult } from "../report.ts";
import type { LoadOptions, RunResult } from "./load_client.ts";
import { ensureNodeWs, type RelayKind, startRelay } from "./servers.ts";
import type { SetupResult } from "./setup.ts";

export interface RelayOptions {
  /** Pairs connected at once (and sessions set up at once on the hub). */
  pairs: number;
  /** Saturating runs; the middle one is where the throughput targets are judged. */
  runs: { pairs: number; seconds: number }[];
  paced: { pairs: number; seconds: number; intervalMs: number };
  connectBatch: number;
}

interface RelayRun {
  kind: RelayKind;
  label: string;
  setup?: SetupResult;
  connected: { pairs: number; failed: number; seconds: number };
  idleBytesPerSocket: number;
  runs: RunResult[];
}

const script = (file: string) => new URL(file, import.meta.url).pathname;

async function benchOne(
  kind: RelayKind,
  options: RelayOptions,
  dir: string,
  node: string | null,
): Promise<RelayRun> {
  const server = await startRelay(kind, { dbPath: `${dir}/hub.db`, node });
  try {
    let setup: SetupResult | undefined;
    const credentials = `${dir}/${kind}-pairs.json`;
    if (kind === "hub") {
      const child = spawnJson([
        Deno.execPath(),
        "run",
        "--allow-net=127.0.0.1",
        `--allow-write=${dir}`,
        script("setup.ts"),
        JSON.stringify({
          base: `http://127.0.0.1:${server.port}`,
          sessions: options.pairs,
          out: credentials,
        }),
      ]);
      setup = await child.next<SetupResult>(120_000);
      await child.stop();
    }
    await server.gc();
    const idleBefore = rssBytes(server.pid);
    const load: LoadOptions = {
      url: `ws://127.0.0.1:${server.port}`,
      credentials: kind === "hub" ? credentials : undefined,
      pairs: options.pairs,
      serverPid: server.pid,
      connectBatch: options.connectBatch,
      runs: options.runs,
      paced: options.paced,
    };
    const client = spawnJson(
      [Deno.execPath(), "run", "--allow-all", script("load_client.ts")].concat(
        JSON.stringify(load),
      ),
    );
    try {
      const connected = await client.next<RelayRun["connected"]>(180_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await server.gc();
      const idleAfter = rssBytes(server.pid);
      await client.send("run");
      const runs: RunResult[] = [];
      for (let i = 0; i <= options.runs.length; i++) {
        const seconds = options.runs[i]?.seconds ?? options.paced.seconds;
        runs.push(await client.next<RunResult>((seconds + 60) * 1000));
      }
      return {
        kind,
        label: server.label,
        setup,
        connected,
        idleBytesPerSocket: (idleAfter - idleBefore) / Math.max(1, connected.pairs * 2),
        runs,
      };
    } finally {
      await client.stop(3000);
    }
  } finally {
    await server.stop();
  }
}

export async function relayBench(options: RelayOptions): Promise<SectionResult> {
  const section = emptySection();
  const node = await ensureNodeWs();
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-bench-relay-" });
  const results: RelayRun[] = [];
  try {
    for (const kind of ["hub", "deno", "node"] as const) {
      results.push(await benchOne(kind, options, dir, node));
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  for (const relay of results) section.rows.push(...rowsOf(relay));
  judge(section, options, results);
  section.details = results;
  return section;
}

function rowsOf(relay: RelayRun): Row[] {
  const rows: Row[] = [];
  if (relay.setup) {
    rows.push({
      section: "relay",
      subject: `${relay.label}: set up ${relay.setup.sessions} sessions at once (mint+2 joins)`,
      value: relay.setup.requestsPerSecond,
      unit: "req/s",
      p50: relay.setup.p50,
      p99: relay.setup.p99,
      max: relay.setup.max,
      errors: relay.setup.errors,
    });
  }
  rows.push({
    section: "relay",
    subject: `${relay.label}: ${relay.connected.pairs} pairs connected, idle`,
    value: relay.idleBytesPerSocket / 1024,
    unit: "KB/socket",
    errors: relay.connected.failed,
  });
  for (const run of relay.runs) {
    rows.push({
      section: "relay",
      subject: `${relay.label}: ${run.pairs} pairs ` +
        (run.phase === "paced" ? "paced" : "saturating"),
      value: run.framesPerSecond,
      unit: "frames/s",
      p50: run.p50,
      p99: run.p99,
      max: run.max,
      serverCpu: run.serverCpu,
      clientCpu: run.clientCpu,
      errors: run.errors,
    });
  }
  return rows;
}

function judge(section: SectionResult, options: RelayOptions, results: RelayRun[]) {
  const [hub, deno, node] = results;
  const middle = Math.min(1, options.runs.length - 1);
  const at = options.runs[middle].pairs;
  const fps = (relay: RelayRun) => relay.runs[middle].framesPerSecond;
  section.checks.push({
    name: `relay: hub / minimal Deno at ${at} pairs`,
    value: fps(hub) / fps(deno),
    target: ">= 0.8",
    met: fps(hub) / fps(deno) >= 0.8,
  }, {
    name: `relay: hub / ${node.label.replace("minimal ", "")} at ${at} pairs`,
    value: fps(hub) / fps(node),
    target: ">= 1.0",
    met: fps(hub) / fps(node) >= 1.0,
  });
  const paced = hub.runs[hub.runs.length - 1];
  section.checks.push({
    name: `relay: hub p99 at ${paced.pairs} pairs paced (ms)`,
    value: paced.p99,
    target: "< 2 ms",
    met: paced.p99 < 2 && paced.errors === 0,
    detail: paced.errors ? `${paced.errors} errors` : undefined,
  }, {
    name: "relay: hub idle memory per connection (KB)",
    value: hub.idleBytesPerSocket / 1024,
    target: "<= 24 KB",
    met: hub.idleBytesPerSocket <= 24 * 1024,
  }, {
    name: `relay: hub setup of ${hub.setup?.sessions} sessions at once, errors`,
    value: (hub.setup?.errors ?? 0) + hub.connected.failed,
    target: "= 0",
    met: (hub.setup?.errors ?? 1) === 0 && hub.connected.failed === 0,
    detail: hub.setup && Object.keys(hub.setup.failures).length
      ? JSON.stringify(hub.setup.failures)
      : undefined,
  });
  for (const relay of results) {
    for (const run of relay.runs) {
      if (run.pacedShare > 0.05) {
        section.notes.push(
          `relay: ${relay.label} at ${run.pairs} pairs: the flood-guard pacing delayed ` +
            `${Math.round(run.pacedShare * 100)}% of sends, so pacing (not the relay) limited it.`,
        );
      }
      if (run.phase === "saturate" && run.serverCpu < 0.85) {
        section.notes.push(
          `relay: ${relay.label} at ${run.pairs} pairs used ${Math.round(run.serverCpu * 100)}% ` +
            `of a core (client at ${Math.round(run.clientCpu * 100)}%): not server-bound.`,
        );
      }
    }
    const cpuPerFrame = relay.runs.filter((r) => r.phase === "saturate").map((r) =>
      `${r.pairs}: ${(r.serverCpu / r.framesPerSecond * 1e6).toFixed(1)}`
    );
    section.notes.push(
      `relay: ${relay.label} server CPU µs per relayed frame by pairs: ${cpuPerFrame.join(", ")}`,
    );
  }
}
