/**
 * The relay benchmark: the real hub, a minimal Deno relay and a minimal node `ws` relay, each in its
 * own process with its own load-client process, same frames, same pacing.
 *
 * All three are set up and connected first (the hub's sessions through the API, all at once), with
 * each server's idle memory per socket read as its sockets connect. The runs then take turns
 * relay by relay, round after round, so a burst of other work on the machine hits all three alike;
 * each relay's best round counts, and every round is kept in latest.json.
 */
import { type JsonChild, machineCpuSeconds, rssBytes, spawnJson } from "../proc.ts";
import { cpuSeconds } from "../proc.ts";
import { summarize } from "../stats.ts";
import { emptySection, type Row, type SectionResult } from "../report.ts";
import type { LoadOptions, RunResult } from "./load_client.ts";
import { ensureNodeWs, type RelayKind, type RelayServer, startRelay } from "./servers.ts";
import type { SetupResult } from "./setup.ts";

export interface RelayOptions {
  /** Pairs connected at once (and sessions set up at once on the hub). */
  pairs: number;
  /** Saturating runs; the middle one is where the throughput targets are judged. */
  runs: { pairs: number; seconds: number }[];
  /** Rounds of the saturating runs; the best round of each relay counts. */
  rounds: number;
  paced: { pairs: number; seconds: number; intervalMs: number };
  connectBatch: number;
  /**
   * Load-client processes per relay, each with its share of the pairs. One process holding all
   * 10,000 sockets spends ~2.5% of a paced run in garbage-collection pauses of up to 30 ms (every
   * socket keeps a pending read alive), which would show up as the relay's tail latency.
   */
  clients: number;
}

/** A run as the client measured it, plus what the orchestrator saw around it. */
export interface MeasuredRun extends RunResult {
  serverLag: { p99: number; max: number };
  /** CPU share used by every other process on the machine meanwhile (1.0 = one core). */
  otherCpu: number;
}

export interface Relay {
  kind: RelayKind;
  label: string;
  server: RelayServer;
  /** A second instance holding the B seats (bench/relay/cluster.ts); its CPU counts as server. */
  peer?: RelayServer;
  clients: JsonChild[];
  setup?: SetupResult;
  connected: { pairs: number; failed: number; seconds: number };
  idleBytesPerSocket: number;
  runs: MeasuredRun[];
}

const script = (file: string) => new URL(file, import.meta.url).pathname;

export async function setupSessions(
  server: RelayServer,
  sessions: number,
  out: string,
  dir: string,
  concurrency?: number,
) {
  const child = spawnJson([
    Deno.execPath(),
    "run",
    "--allow-net=127.0.0.1",
    `--allow-write=${dir}`,
    script("setup.ts"),
    JSON.stringify({ base: `http://127.0.0.1:${server.port}`, sessions, out, concurrency }),
  ]);
  try {
    return await child.next<SetupResult>(120_000);
  } finally {
    await child.stop();
  }
}

async function prepare(
  kind: RelayKind,
  options: RelayOptions,
  dir: string,
  node: string | null,
): Promise<Relay> {
  const server = await startRelay(kind, { dbPath: `${dir}/${kind}.db`, node });
  const credentials = `${dir}/${kind}-pairs.json`;
  const setup = kind === "hub" || kind === "hub-direct"
    ? await setupSessions(server, options.pairs, credentials, dir)
    : undefined;
  await server.gc();
  const idleBefore = rssBytes(server.pid);
  const clients = shares(options.pairs, options.clients).map(({ offset, count }) => {
    const load: LoadOptions = {
      url: `ws://127.0.0.1:${server.port}`,
      credentials: setup ? credentials : undefined,
      offset,
      pairs: count,
      serverPid: server.pid,
      connectBatch: Math.ceil(options.connectBatch / options.clients),
    };
    return spawnLoadClient(load);
  });
  const parts = await Promise.all(
    clients.map((client) => client.next<Relay["connected"]>(180_000)),
  );
  const connected = {
    pairs: parts.reduce((sum, part) => sum + part.pairs, 0),
    failed: parts.reduce((sum, part) => sum + part.failed, 0),
    seconds: Math.max(...parts.map((part) => part.seconds)),
  };
  await new Promise((resolve) => setTimeout(resolve, 500));
  await server.gc();
  const idleAfter = rssBytes(server.pid);
  return {
    kind,
    label: server.label,
    server,
    clients,
    setup,
    connected,
    idleBytesPerSocket: (idleAfter - idleBefore) / Math.max(1, connected.pairs * 2),
    runs: [],
  };
}

/**
 * The relays to run: BENCH_RELAY_KINDS=hub,hub-direct compares the hub with and without the
 * connection front in one run (the ratios to the minimal relays are judged only for the default).
 */
function relayKinds(): RelayKind[] {
  const kinds = (Deno.env.get("BENCH_RELAY_KINDS") ?? "hub,deno,node").split(",");
  return kinds.map((kind) => kind.trim()).filter(Boolean) as RelayKind[];
}

/** Splits `total` pairs into `parts` contiguous shares. */
/** One load client process (load_client.ts) driving its share of the pairs. */
export function spawnLoadClient(load: LoadOptions): JsonChild {
  return spawnJson([
    Deno.execPath(),
    "run",
    "--allow-all",
    script("load_client.ts"),
    JSON.stringify(load),
  ]);
}

export function shares(total: number, parts: number): { offset: number; count: number }[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => ({
    offset: i * base + Math.min(i, total % parts),
    count: base + (i < total % parts ? 1 : 0),
  }));
}

/** One run's results from every client, as one: sums, merged percentiles, worst lags. */
function merge(parts: RunResult[]): RunResult {
  const rtts = parts.flatMap((part) => part.rtts ?? []);
  const { p50, p99, max } = summarize(rtts);
  const sum = (pick: (part: RunResult) => number) => parts.reduce((t, part) => t + pick(part), 0);
  const sends = sum((part) => part.sends);
  return {
    phase: parts[0].phase,
    pairs: sum((part) => part.pairs),
    seconds: Math.max(...parts.map((part) => part.seconds)),
    framesPerSecond: sum((part) => part.framesPerSecond),
    roundTrips: rtts.length,
    p50,
    p99,
    max,
    errors: sum((part) => part.errors),
    pacedShare: sends ? sum((part) => part.pacedSends) / (2 * sends) : 0,
    skipped: sum((part) => part.skipped),
    pairRoundTrips: {
      min: Math.min(...parts.map((part) => part.pairRoundTrips.min)),
      median: summarize(parts.map((part) => part.pairRoundTrips.median)).p50,
    },
    timeline: parts[0].timeline.map((_, i) => sum((part) => part.timeline[i] ?? 0)),
    sends,
    pacedSends: sum((part) => part.pacedSends),
    // Every client read the same server over the same few seconds.
    serverCpu: summarize(parts.map((part) => part.serverCpu)).p50,
    clientCpu: sum((part) => part.clientCpu),
    clientLag: {
      p99: Math.max(...parts.map((part) => part.clientLag.p99)),
      max: Math.max(...parts.map((part) => part.clientLag.max)),
    },
  };
}

export async function run(
  relay: Relay,
  command: "saturate" | "paced",
  pairs: number,
  rest: number[],
): Promise<MeasuredRun> {
  await relay.server.lag();
  const peerPids = relay.peer ? [relay.peer.pid] : [];
  const pids = [relay.server.pid, ...peerPids, ...relay.clients.map((client) => client.pid)];
  const peerBefore = peerPids.map(cpuSeconds);
  const before = {
    machine: machineCpuSeconds(),
    ours: pids.map(cpuSeconds),
    at: performance.now(),
  };
  const split = shares(pairs, relay.clients.length);
  const seconds = rest[0];
  const parts = await Promise.all(relay.clients.map(async (client, i) => {
    await client.send([command, split[i].count, ...rest].join(" "));
    return await client.next<RunResult>((seconds + 60) * 1000);
  }));
  const elapsed = (performance.now() - before.at) / 1000;
  const ours = pids.map(cpuSeconds).reduce((sum, t, i) => sum + t - before.ours[i], 0);
  const otherCpu = Math.max(0, (machineCpuSeconds() - before.machine - ours) / elapsed);
  const merged = merge(parts);
  delete merged.rtts;
  // The load client reads the first server's CPU; the peer's is added here.
  merged.serverCpu += peerPids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - peerBefore[i], 0) /
    elapsed;
  return { ...merged, serverLag: await relay.server.lag(), otherCpu };
}

export async function relayBench(options: RelayOptions): Promise<SectionResult> {
  const section = emptySection();
  const node = await ensureNodeWs();
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-bench-relay-" });
  const relays: Relay[] = [];
  try {
    for (const kind of relayKinds()) {
      relays.push(await prepare(kind, options, dir, node));
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const spec of options.runs) {
        for (const relay of relays) {
          relay.runs.push(await run(relay, "saturate", spec.pairs, [spec.seconds]));
        }
      }
    }
    const { pairs, seconds, intervalMs } = options.paced;
    for (const relay of relays) {
      relay.runs.push(await run(relay, "paced", pairs, [seconds, intervalMs]));
    }
  } finally {
    for (const relay of relays) {
      await Promise.all(relay.clients.map((client) => client.stop(3000)));
      await relay.server.stop();
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  for (const relay of relays) section.rows.push(...rowsOf(relay, options));
  if (relays.map((relay) => relay.kind).join() === "hub,deno,node") judge(section, options, relays);
  section.details = relays.map(({ server: _s, clients: _c, ...rest }) => rest);
  return section;
}

/** The best saturating round at `pairs` (most frames/s), and the paced run. */
export function best(relay: Relay, pairs: number): MeasuredRun {
  const runs = relay.runs.filter((r) => r.phase === "saturate" && r.pairs === pairs);
  if (runs.length === 0) {
    const ran = relay.runs.map((r) => `${r.phase} ${r.pairs}`).join(", ");
    throw new Error(`${relay.label}: no saturating run at ${pairs} pairs (ran: ${ran})`);
  }
  return runs.reduce((a, b) => b.framesPerSecond > a.framesPerSecond ? b : a);
}
export const pacedRun = (relay: Relay) => relay.runs.find((r) => r.phase === "paced")!;

function rowsOf(relay: Relay, options: RelayOptions): Row[] {
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
  const runs = [...options.runs.map((spec) => best(relay, spec.pairs)), pacedRun(relay)];
  for (const run of runs) {
    rows.push({
      section: "relay",
      subject: `${relay.label}: ${run.pairs} pairs ` +
        (run.phase === "paced" ? `paced` : "saturating"),
      value: run.framesPerSecond,
      unit: "frames/s",
      p50: run.p50,
      p99: run.p99,
      max: run.max,
      serverCpu: run.serverCpu,
      clientCpu: run.clientCpu,
      otherCpu: run.otherCpu,
      errors: run.errors,
    });
  }
  return rows;
}

function judge(section: SectionResult, options: RelayOptions, relays: Relay[]) {
  const [hub, deno, node] = relays;
  const at = options.runs[Math.min(1, options.runs.length - 1)].pairs;
  const fps = (relay: Relay) => best(relay, at).framesPerSecond;
  const usPerFrame = (r: MeasuredRun) => (r.serverCpu / r.framesPerSecond) * 1e6;
  section.checks.push({
    name: `relay: hub / minimal Deno at ${at} pairs (frames/s)`,
    value: fps(hub) / fps(deno),
    target: ">= 0.8",
    met: fps(hub) / fps(deno) >= 0.8,
  }, {
    name: `relay: hub / ${node.label.replace("minimal ", "")} at ${at} pairs (frames/s)`,
    value: fps(hub) / fps(node),
    target: ">= 1.0",
    met: fps(hub) / fps(node) >= 1.0,
  });
  const paced = pacedRun(hub);
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
    name: `relay: hub set up ${hub.setup?.sessions} sessions at once, errors`,
    value: (hub.setup?.errors ?? 0) + hub.connected.failed,
    target: "= 0",
    met: (hub.setup?.errors ?? 1) === 0 && hub.connected.failed === 0,
    detail: hub.setup && Object.keys(hub.setup.failures).length
      ? JSON.stringify(hub.setup.failures)
      : undefined,
  });

  section.notes.push(
    `relay: saturating runs took turns relay by relay over ${options.rounds} round(s); ` +
      `each row is the relay's best round.`,
    "relay: server CPU per relayed frame (µs, lower is better; independent of the client): " +
      relays.map((relay) =>
        `${relay.label}: ` +
        options.runs.map((spec) =>
          `${spec.pairs}p ${usPerFrame(best(relay, spec.pairs)).toFixed(1)}`
        )
          .join(" ")
      ).join("; "),
  );
  for (const relay of relays) {
    for (const run of [...options.runs.map((spec) => best(relay, spec.pairs)), pacedRun(relay)]) {
      const where = `relay: ${relay.label} at ${run.pairs} pairs${
        run.phase === "paced" ? " paced" : ""
      }`;
      if (run.pacedShare > 0.05) {
        section.notes.push(
          `${where}: flood-guard pacing delayed ${Math.round(run.pacedShare * 100)}% of sends ` +
            `(pacing, not the relay, was the limit).`,
        );
      }
      if (run.phase === "saturate" && run.serverCpu < 0.85) {
        section.notes.push(
          `${where}: server at ${pct(run.serverCpu)} of a core, client ${pct(run.clientCpu)}, ` +
            `other processes ${pct(run.otherCpu)}: not server-bound` +
            (run.pairRoundTrips.median < run.pairRoundTrips.min * 2 || run.pairRoundTrips.min > 0
              ? "."
              : `; unfair service (slowest pair ${run.pairRoundTrips.min} round trips, median ` +
                `${run.pairRoundTrips.median}).`),
        );
      }
      if (run.phase === "paced") {
        section.notes.push(
          `${where}: loop lag p99/max server ${run.serverLag.p99.toFixed(1)}/` +
            `${run.serverLag.max.toFixed(1)} ms, client ${run.clientLag.p99.toFixed(1)}/` +
            `${run.clientLag.max.toFixed(1)} ms; other processes ${pct(run.otherCpu)}.`,
        );
      }
    }
  }
}

const pct = (share: number) => `${Math.round(share * 100)}%`;
