/**
 * Mint throughput: POST /api/tokens on the real server (SQLite file, WAL) against the raw
 * node:sqlite work of one mint (count recent events, insert the token, insert the event, in one
 * transaction, prepared statements, same pragmas) timed in this process for the same number of
 * mints, so both see the same table growth.
 */
import { createHash, createHmac, createSecretKey } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { systemClock } from "../server/clock.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/database.ts";
import { serve } from "../server/serve.ts";
import { httpLoad, type HttpLoadResult } from "./http_load.ts";
import { mintOnPostgres } from "./mint_pg.ts";
import { cpuSeconds, measureServerInProcess } from "./proc.ts";
import { emptySection, type Row, type SectionResult } from "./report.ts";
import { summarize } from "./stats.ts";

export interface MintOptions {
  /** Rounds of endpoint load; the raw baseline repeats each with as many mints. Best counts. */
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Distinct client addresses the mints are spread over (as many real clients would be). */
  clients: number;
}

export const MINT_REQUEST = JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 30 });
const HOUR_MS = 3_600_000;
const PYTHON_MINTS_PER_SECOND = 373;

export async function mintBench(options: MintOptions): Promise<SectionResult> {
  const section = emptySection();
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-bench-mint-" });
  try {
    const config = loadConfig({
      CHAT_DATABASE_URL: `sqlite:${dir}/server.db`,
      CHAT_HOST: "127.0.0.1",
      PORT: "0",
      CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000000",
      CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: "100000000",
      // Lets the load client spread its mints over many addresses, as real clients are.
      CHAT_TRUST_PROXY: "true",
    });
    const database = await openDatabase(config.sqlitePath);
    const server = await serve(config, database, systemClock, {
      quiet: true,
      handleSignals: false,
    });
    const load = (seconds: number) =>
      httpLoad({
        url: `${server.url}/api/tokens`,
        method: "POST",
        body: MINT_REQUEST,
        contentType: "application/json",
        connections: options.connections,
        seconds,
        forwardedAddresses: options.clients,
      });
    let warmupMints = 0;
    if (options.warmupSeconds > 0) warmupMints = (await load(options.warmupSeconds)).ok;
    const rounds = [];
    for (let round = 0; round < options.rounds; round++) {
      rounds.push(await measureServerInProcess(() => load(options.seconds)));
    }
    await server.shutdown();

    // The same number of mints per round on a fresh file, so both see the same table growth.
    await openDatabase(`${dir}/raw.db`).then((raw) => raw.close());
    rawMints(`${dir}/raw.db`, warmupMints, options.clients);
    const rawRounds = rounds.map((round) => rawMints(`${dir}/raw.db`, round.ok, options.clients));
    const result = rounds.reduce((a, b) => b.perSecond > a.perSecond ? b : a);
    const raw = rawRounds.reduce((a, b) => b.perSecond > a.perSecond ? b : a);
    const errors = rounds.reduce((sum, round) => sum + round.errors, 0);
    const minted = rounds.reduce((sum, round) => sum + round.ok, 0);

    section.rows.push(
      mintRow(`POST /api/tokens (${result.client}, ${options.connections} conns)`, result, errors),
      {
        section: "mint",
        subject: "raw node:sqlite count+insert+insert",
        value: raw.perSecond,
        unit: "mints/s",
        p50: raw.p50,
        p99: raw.p99,
        max: raw.max,
      },
    );
    const ratio = result.perSecond / raw.perSecond;
    section.checks.push({
      name: "mint: endpoint / raw node:sqlite",
      value: ratio,
      target: ">= 0.4",
      met: ratio >= 0.4 && errors === 0,
      detail: errors
        ? `${errors} errors`
        : result.serverCpu < 0.85
        ? `server at ${Math.round(result.serverCpu * 100)}% CPU: not server-bound`
        : undefined,
    });
    section.notes.push(
      `mint: ${minted} mints in ${options.rounds} round(s) (best counts) spread over ${options.clients} client addresses ` +
        `(X-Forwarded-For, CHAT_TRUST_PROXY) so each client's hourly count stays small as in ` +
        `production; the original Python backend: ${PYTHON_MINTS_PER_SECOND} mints/s, p99 over 1 s ` +
        `(${(result.perSecond / PYTHON_MINTS_PER_SECOND).toFixed(1)}x here).`,
    );
    const endpointCpu = (result.serverCpu / result.perSecond) * 1e6;
    section.notes.push(
      `mint: CPU per mint (robust to other load): endpoint ${endpointCpu.toFixed(0)} µs, raw ` +
        `${raw.cpuMicros.toFixed(0)} µs (ratio ${(raw.cpuMicros / endpointCpu).toFixed(2)}).`,
    );
    section.details = { endpoint: rounds, raw: rawRounds, warmupMints };
    await mintOnPostgres(options, MINT_REQUEST, result.perSecond, section);
    return section;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

interface RawResult {
  mints: number;
  seconds: number;
  perSecond: number;
  /** CPU time of this process per mint (µs), which other load on the machine barely moves. */
  cpuMicros: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * `count` mints straight through node:sqlite: the same secret generation and hashing (an HMAC of
 * the address, SHA-256 of the token), the same five statements in one transaction (per-address
 * count, global windows, token, event, window bump). The schema comes from the app's migrations.
 */
function rawMints(path: string, count: number, clients: number): RawResult {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA busy_timeout = 5000");
  const begin = db.prepare("BEGIN");
  const commit = db.prepare("COMMIT");
  const countRecent = db.prepare(
    "SELECT count(*) AS count, min(at) AS oldest FROM rate_events " +
      "WHERE bucket = ? AND client_hash = ? AND at > ?",
  );
  const globalWindows = db.prepare(
    "SELECT window_start, count FROM rate_window_counts WHERE bucket = ? AND window_start IN (?, ?)",
  );
  const insertToken = db.prepare(
    "INSERT INTO tokens (token_hash, validity_expires_at, " +
      "session_ttl_seconds, message_char_limit, session_started_at, session_expires_at, " +
      "ended_at, end_reason) VALUES (?, ?, ?, ?, NULL, NULL, NULL, NULL)",
  );
  const bumpWindow = db.prepare(
    "INSERT INTO rate_window_counts (bucket, window_start, count) VALUES (?, ?, 1) " +
      "ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_window_counts.count + 1",
  );
  const rateKey = createSecretKey(crypto.getRandomValues(new Uint8Array(32)));
  const insertEvent = db.prepare(
    "INSERT INTO rate_events (bucket, client_hash, at) VALUES (?, ?, ?)",
  );
  const sha = (purpose: string, value: string) =>
    createHash("sha256").update(purpose).update("\0").update(value).digest("hex");
  const latencies = new Float64Array(count);
  const cpuStart = cpuSeconds("self");
  const deadline = performance.now() + 60_000;
  const start = performance.now();
  let done = 0;
  for (; done < count && performance.now() < deadline; done++) {
    const began = performance.now();
    const address = `10.0.${Math.floor((done % clients) / 256)}.${done % clients % 256}`;
    const clientHash = createHmac("sha256", rateKey).update("client").update("\0")
      .update(address).digest("hex");
    const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const now = Date.now();
    begin.run();
    const recent = countRecent.get("mint", clientHash, now - HOUR_MS) as { count: number };
    const windowStart = now - (now % 60_000);
    globalWindows.all("mint", windowStart, windowStart - 60_000);
    if (recent.count < 1_000_000) {
      insertToken.run(sha("token", token), now + 86_400_000, 1800, 2000);
      insertEvent.run("mint", clientHash, now);
      bumpWindow.run("mint", windowStart);
    }
    commit.run();
    latencies[done] = performance.now() - began;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuMicros = ((cpuSeconds("self") - cpuStart) / Math.max(1, done)) * 1e6;
  db.close();
  const { p50, p99, max } = summarize(latencies.subarray(0, done));
  return { mints: done, seconds, perSecond: done / seconds, cpuMicros, p50, p99, max };
}

/** A mint row of the table from the best measured load round. */
export function mintRow(
  subject: string,
  result: HttpLoadResult & { serverCpu: number; otherCpu: number },
  errors: number,
): Row {
  return {
    section: "mint",
    subject,
    value: result.perSecond,
    unit: "mints/s",
    p50: result.p50,
    p99: result.p99,
    max: result.max,
    serverCpu: result.serverCpu,
    clientCpu: result.clientCpu,
    otherCpu: result.otherCpu,
    errors,
  };
}
