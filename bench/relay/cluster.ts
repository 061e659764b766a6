/**
 * The `cluster` section: two real instances on one PostgreSQL schema (issue 11). The same pairs
 * relay with both seats on one instance and with the two seats on different instances (every
 * frame then goes through LISTEN/NOTIFY), saturating and paced at one round trip a second; and
 * the set-up of the same number of sessions (mint + two joins each, 32 at a time) on PostgreSQL
 * against SQLite.
 *
 * The schema is made fresh for the run and dropped afterwards (bench/pg_schema.ts); without
 * PostgreSQL the section is skipped with a note.
 */
import { withBenchSchema } from "../pg_schema.ts";
import { emptySection, type Row, type SectionResult } from "../report.ts";
import type { LoadOptions } from "./load_client.ts";
import {
  type MeasuredRun,
  pacedRun,
  type Relay,
  run,
  setupSessions,
  shares,
  spawnLoadClient,
} from "./scenario.ts";
import { type RelayServer, startRelay } from "./servers.ts";
import type { SetupResult } from "./setup.ts";

export interface ClusterOptions {
  pairs: number;
  seconds: number;
  rounds: number;
  paced: { seconds: number; intervalMs: number };
  /** Load-client processes per layout. */
  clients: number;
  connectBatch: number;
}

/**
 * Sessions set up at a time: the relay section already sets thousands up at once; here the
 * figure is the two stores' sustained rate, which a queue of thousands would only hide in time-outs.
 */
const SETUP_CONCURRENCY = 32;

/** Load clients for pairs [offset, offset + pairs) of the credentials: A seats on `a`, B on `b`. */
async function connectPairs(
  label: string,
  a: RelayServer,
  b: RelayServer,
  credentials: string,
  offset: number,
  options: ClusterOptions,
): Promise<Relay> {
  const clients = shares(options.pairs, options.clients).map((share) => {
    const load: LoadOptions = {
      url: `ws://127.0.0.1:${a.port}`,
      urlB: `ws://127.0.0.1:${b.port}`,
      credentials,
      offset: offset + share.offset,
      pairs: share.count,
      serverPid: a.pid,
      connectBatch: Math.ceil(options.connectBatch / options.clients),
    };
    return spawnLoadClient(load);
  });
  const parts = await Promise.all(
    clients.map((client) => client.next<Relay["connected"]>(180_000)),
  );
  return {
    kind: "hub-pg",
    label,
    server: a,
    peer: a === b ? undefined : b,
    clients,
    connected: {
      pairs: parts.reduce((sum, part) => sum + part.pairs, 0),
      failed: parts.reduce((sum, part) => sum + part.failed, 0),
      seconds: Math.max(...parts.map((part) => part.seconds)),
    },
    idleBytesPerSocket: NaN,
    runs: [],
  };
}

export async function clusterBench(options: ClusterOptions): Promise<SectionResult> {
  const section = emptySection();
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-bench-cluster-" });
  const servers: RelayServer[] = [];
  const relays: Relay[] = [];
  const setups: { store: string; result: SetupResult }[] = [];
  try {
    const skipped = await withBenchSchema(async (target) => {
      try {
        // The SQLite figure first, on its own, then the PostgreSQL instances.
        const sqlite = await startRelay("hub", { dbPath: `${dir}/setup.db` });
        servers.push(sqlite);
        const sessions = options.pairs;
        const sqliteSetup = await setupSessions(
          sqlite,
          sessions,
          `${dir}/sqlite.json`,
          dir,
          SETUP_CONCURRENCY,
        );
        setups.push({ store: "SQLite", result: sqliteSetup });
        await sqlite.stop();
        servers.pop();

        const one = await startRelay("hub-pg", { postgres: target });
        const two = await startRelay("hub-pg", { postgres: target });
        servers.push(one, two);
        const credentials = `${dir}/pg.json`;
        setups.push({
          store: "PostgreSQL",
          result: await setupSessions(one, sessions, credentials, dir, SETUP_CONCURRENCY),
        });
        // The same sessions in both layouts, one layout after the other (set-up is the slow part):
        // the second layout's sockets take the seats over once the first's have closed.
        const layouts = [
          { label: "both seats on one instance", b: one },
          { label: "seats on two instances", b: two },
        ];
        for (const layout of layouts) {
          const relay = await connectPairs(layout.label, one, layout.b, credentials, 0, options);
          relays.push(relay);
          for (let round = 0; round < options.rounds; round++) {
            relay.runs.push(await run(relay, "saturate", options.pairs, [options.seconds]));
          }
          const { seconds, intervalMs } = options.paced;
          relay.runs.push(await run(relay, "paced", options.pairs, [seconds, intervalMs]));
          await Promise.all(relay.clients.map((client) => client.stop(3000)));
        }
      } finally {
        for (const relay of relays) await Promise.all(relay.clients.map((c) => c.stop(3000)));
        // Instances end before the schema is dropped, so no connection holds it.
        for (const server of servers) await server.stop();
      }
    });
    if (typeof skipped === "string") {
      section.notes.push(`cluster: skipped, ${skipped}`);
      return section;
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  for (const { store, result } of setups) section.rows.push(setupRow(store, result));
  for (const { store, result } of setups) {
    if (result.errors) {
      section.notes.push(`cluster: ${store} set-up failures: ${JSON.stringify(result.failures)}`);
    }
  }
  try {
    for (const relay of relays) section.rows.push(...runRows(relay));
    judge(section, options, relays, setups);
  } catch (error) {
    // Set-up rows and notes above still say why (e.g. every session failed to set up).
    section.notes.push(`cluster: ${(error as Error).message}`);
  }
  section.details = {
    setups,
    relays: relays.map(({ server: _s, peer: _p, clients: _c, ...rest }) => rest),
  };
  return section;
}

function setupRow(store: string, result: SetupResult): Row {
  return {
    section: "cluster",
    subject:
      `${store}: set up ${result.sessions} sessions, ${SETUP_CONCURRENCY} at a time (mint+2 joins)`,
    value: result.requestsPerSecond,
    unit: "req/s",
    p50: result.p50,
    p99: result.p99,
    max: result.max,
    errors: result.errors,
  };
}

/** The relay's best saturating round (at however many pairs connected), or a clear error. */
function bestRun(relay: Relay): MeasuredRun {
  const runs = relay.runs.filter((r) => r.phase === "saturate" && r.pairs > 0);
  if (runs.length === 0) {
    throw new Error(`${relay.label}: no pair connected (${JSON.stringify(relay.connected)})`);
  }
  return runs.reduce((a, b) => b.framesPerSecond > a.framesPerSecond ? b : a);
}

function runRows(relay: Relay): Row[] {
  return [bestRun(relay), pacedRun(relay)].map((measured: MeasuredRun) => ({
    section: "cluster",
    subject: `${relay.label}: ${measured.pairs} pairs ${
      measured.phase === "paced" ? "paced" : "saturating"
    }`,
    value: measured.framesPerSecond,
    unit: "frames/s",
    p50: measured.p50,
    p99: measured.p99,
    max: measured.max,
    serverCpu: measured.serverCpu,
    clientCpu: measured.clientCpu,
    otherCpu: measured.otherCpu,
    errors: measured.errors + (measured.phase === "paced" ? relay.connected.failed : 0),
  }));
}

function judge(
  section: SectionResult,
  options: ClusterOptions,
  relays: Relay[],
  setups: { store: string; result: SetupResult }[],
) {
  const [one, two] = relays;
  if (!two) return;
  const saturated = bestRun(two);
  const paced = pacedRun(two);
  section.checks.push({
    name: `cluster: cross-instance p99 at ${paced.pairs} pairs paced (ms)`,
    value: paced.p99,
    target: "<= 10 ms",
    met: paced.p99 <= 10 && paced.errors === 0,
    detail: paced.errors ? `${paced.errors} errors` : undefined,
  }, {
    name: `cluster: cross-instance frames/s at ${saturated.pairs} pairs`,
    value: saturated.framesPerSecond,
    target: ">= 10,000",
    met: saturated.framesPerSecond >= 10_000 && saturated.errors === 0,
    detail: saturated.errors ? `${saturated.errors} errors` : undefined,
  });
  const [sqlite, pg] = setups.map((setup) => setup.result);
  section.notes.push(
    `cluster: cross-instance / one instance at ${options.pairs} pairs: ` +
      `${(saturated.framesPerSecond / bestRun(one).framesPerSecond).toFixed(2)}x ` +
      `frames/s; paced p99 ${paced.p99.toFixed(1)} vs ${pacedRun(one).p99.toFixed(1)} ms.`,
    `cluster: session set-up on PostgreSQL / SQLite: ` +
      `${(pg.requestsPerSecond / sqlite.requestsPerSecond).toFixed(2)}x requests/s ` +
      `(${pg.errors} and ${sqlite.errors} failed sessions).`,
    "cluster: server CPU counts both instances; the second instance's frames reach it through " +
      "PostgreSQL NOTIFY.",
  );
  for (const relay of relays) {
    for (const measured of relay.runs.filter((r) => r.phase === "paced")) {
      section.notes.push(
        `cluster: ${relay.label} paced: loop lag p99/max server ${
          measured.serverLag.p99.toFixed(1)
        }/` +
          `${measured.serverLag.max.toFixed(1)} ms; other processes ` +
          `${Math.round(measured.otherCpu * 100)}% of a core.`,
      );
    }
  }
}
