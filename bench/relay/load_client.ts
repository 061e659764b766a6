/**
 * The relay load client, one process apart from the relay under test. It connects N pairs of
 * sockets (auth first, ready once each side's status shows both seats), prints
 * `{"phase":"connected",…}`, then runs what stdin asks, one JSON result line per command:
 * - `saturate <pairs> <seconds>`: the first `pairs` pairs each keep one round trip in flight
 *   (A sends a 1 KiB relay frame, B echoes it, A times it), as fast as the relay and the
 *   flood-guard pacing allow;
 * - `paced <pairs> <seconds> <intervalMs>`: each pair sends one round trip every `intervalMs`,
 *   start times spread evenly.
 * Round trips are timed from the actual send to the echo's arrival, both ends in this process.
 * Usage: deno run -A load_client.ts '<LoadOptions JSON>'; exits when stdin closes.
 */
import { cpuSeconds } from "../proc.ts";
import { Samples, summarize } from "../stats.ts";
import type { PairCredentials } from "./setup.ts";
import {
  isRelayFrame,
  lagMonitor,
  PACE,
  parseFrame,
  relayFrame,
  relaySeq,
  setSeq,
  stdinLines,
  wsPath,
} from "./protocol.ts";
import { type BenchSocket, openSocket } from "./ws_client.ts";

export interface LoadOptions {
  url: string;
  /** Where the B seats connect, when not to `url` (the two seats of a pair on two instances). */
  urlB?: string;
  /** File of {token, host, guest} from setup.ts; without it tokens and ids are made up. */
  credentials?: string;
  /** This client's share of the pairs: `pairs` of them from `offset` in the credentials. */
  offset: number;
  pairs: number;
  serverPid: number;
  connectBatch: number;
}

export interface RunResult {
  phase: "saturate" | "paced";
  pairs: number;
  seconds: number;
  framesPerSecond: number;
  roundTrips: number;
  p50: number;
  p99: number;
  max: number;
  /** Error frames, unexpected closes and mismatched echoes during the run. */
  errors: number;
  /** Share of sends the client-side pacing had to delay (1.0 would mean pacing is the limit). */
  pacedShare: number;
  /** Paced run only: sends skipped because the previous round trip was still in flight. */
  skipped: number;
  /** Round trips of the slowest pair and of the median pair: far apart means unfair service. */
  pairRoundTrips: { min: number; median: number };
  /** Relay frames delivered in each 250 ms slice of the run (stalls show as dips). */
  timeline: number[];
  /** Frames sent by A sockets, and sends the pacing delayed (for merging clients' shares). */
  sends: number;
  pacedSends: number;
  /** Every round trip (ms, µs precision), for merging the percentiles of several clients. */
  rtts?: number[];
  serverCpu: number;
  clientCpu: number;
  /** How late a 5 ms timer in the client fired (ms): client stalls inflate round trips. */
  clientLag: { p99: number; max: number };
}

class Bucket {
  #tokens: number = PACE.capacity;
  #last = performance.now();
  /** Milliseconds until a frame may go, 0 when one may go now (and then it is counted). */
  take(now: number): number {
    this.#tokens = Math.min(
      PACE.capacity,
      this.#tokens + ((now - this.#last) * PACE.refillPerSecond) / 1000,
    );
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return ((1 - this.#tokens) * 1000) / PACE.refillPerSecond;
  }
}

interface Pair {
  creds: PairCredentials;
  a: BenchSocket | null;
  b: BenchSocket | null;
  ready: number;
  onReady: (() => void) | null;
  seq: number;
  sentAt: number;
  roundTrips: number;
  outstanding: boolean;
  bucketA: Bucket;
  bucketB: Bucket;
  frameA: Uint8Array;
  frameB: Uint8Array;
}

interface Mode {
  active: boolean;
  start: number;
  deadline: number;
  timeline: number[];
  roundTrip(pair: Pair, rtt: number, now: number): void;
}

const counters = { delivered: 0, errors: 0, sends: 0, paced: 0 };
const lag = lagMonitor();
let mode: Mode | null = null;
let stopping = false;

function sendA(pair: Pair): void {
  if (!mode?.active || !pair.a) return;
  const now = performance.now();
  const wait = pair.bucketA.take(now);
  if (wait > 0) {
    counters.paced++;
    setTimeout(() => sendA(pair), wait);
    return;
  }
  pair.seq++;
  pair.outstanding = true;
  pair.sentAt = now;
  counters.sends++;
  pair.a.sendFrame(setSeq(pair.frameA, pair.seq));
}

/** B's echo carries the same payload, so it is the same frame as A's with the same number. */
function echoB(pair: Pair, seq: number): void {
  if (!pair.b) return;
  const wait = pair.bucketB.take(performance.now());
  if (wait > 0) {
    counters.paced++;
    setTimeout(() => echoB(pair, seq), wait);
    return;
  }
  pair.b.sendFrame(setSeq(pair.frameB, seq));
}

function onFrame(pair: Pair, side: "a" | "b", bytes: Uint8Array): void {
  if (isRelayFrame(bytes)) {
    const now = performance.now();
    if (mode && now <= mode.deadline) {
      counters.delivered++;
      mode.timeline[Math.floor((now - mode.start) / 250)]++;
    }
    if (side === "b") return echoB(pair, relaySeq(bytes));
    if (relaySeq(bytes) !== pair.seq || !pair.outstanding) {
      counters.errors++;
      return;
    }
    pair.outstanding = false;
    mode?.roundTrip(pair, now - pair.sentAt, now);
    return;
  }
  const frame = parseFrame(bytes);
  if (frame.type === "status") {
    if (frame.connected?.length === 2 && pair.onReady) {
      pair.ready |= side === "a" ? 1 : 2;
      if (pair.ready === 3) pair.onReady();
    }
  } else if (frame.type === "error") counters.errors++;
}

function open(options: LoadOptions, pair: Pair, side: "a" | "b", fail: () => void) {
  const participant = side === "a" ? pair.creds.host : pair.creds.guest;
  const base = side === "b" && options.urlB ? options.urlB : options.url;
  openSocket(base + wsPath(pair.creds.token), {
    message: (bytes) => onFrame(pair, side, bytes),
    closed: () => {
      if (stopping) return;
      pair[side] = null;
      counters.errors++;
      fail();
    },
  }).then((socket) => {
    pair[side] = socket;
    socket.send(JSON.stringify({ type: "auth", participant_id: participant }));
  }, () => {
    counters.errors++;
    fail();
  });
}

function connect(options: LoadOptions, pair: Pair): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), 30_000);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      pair.onReady = null;
      resolve(ok);
    };
    pair.onReady = () => finish(true);
    open(options, pair, "a", () => finish(false));
    open(options, pair, "b", () => finish(false));
  });
}

async function measure(
  phase: RunResult["phase"],
  options: LoadOptions,
  pairs: Pair[],
  seconds: number,
  drive: (mode: Mode, start: number) => void,
): Promise<RunResult> {
  const rtts = new Samples();
  const before = { ...counters };
  lag.take();
  const cpu = { server: cpuSeconds(options.serverPid), client: cpuSeconds("self") };
  const start = performance.now();
  for (const pair of pairs) pair.roundTrips = 0;
  const current: Mode = {
    active: true,
    start,
    deadline: start + seconds * 1000,
    timeline: new Array(Math.ceil(seconds * 4) + 1).fill(0),
    roundTrip(pair, rtt, now) {
      if (now <= this.deadline) {
        rtts.push(rtt);
        pair.roundTrips++;
      }
      if (phase === "saturate" && now < this.deadline) sendA(pair);
    },
  };
  mode = current;
  drive(current, start);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - start) / 1000;
  const serverCpu = (cpuSeconds(options.serverPid) - cpu.server) / elapsed;
  const clientCpu = (cpuSeconds("self") - cpu.client) / elapsed;
  current.active = false;
  // Let round trips in flight land (bounded), so the next run starts clean.
  const drainUntil = performance.now() + 3000;
  while (pairs.some((p) => p.outstanding) && performance.now() < drainUntil) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (const pair of pairs) pair.outstanding = false;
  mode = null;
  const summary = summarize(rtts.values());
  const sends = counters.sends - before.sends;
  const perPair = Float64Array.from(pairs, (pair) => pair.roundTrips).sort();
  return {
    phase,
    pairs: pairs.length,
    seconds: elapsed,
    framesPerSecond: (counters.delivered - before.delivered) / elapsed,
    roundTrips: summary.count,
    p50: summary.p50,
    p99: summary.p99,
    max: summary.max,
    errors: counters.errors - before.errors,
    pacedShare: sends ? (counters.paced - before.paced) / (2 * sends) : 0,
    sends,
    pacedSends: counters.paced - before.paced,
    rtts: Array.from(rtts.values(), (ms) => Math.round(ms * 1000) / 1000),
    skipped: 0,
    pairRoundTrips: { min: perPair[0] ?? 0, median: perPair[perPair.length >> 1] ?? 0 },
    timeline: current.timeline,
    serverCpu,
    clientCpu,
    clientLag: lag.take(),
  };
}

function saturate(options: LoadOptions, pairs: Pair[], seconds: number) {
  return measure("saturate", options, pairs, seconds, () => pairs.forEach(sendA));
}

async function paced(options: LoadOptions, pairs: Pair[], seconds: number, intervalMs: number) {
  let skipped = 0;
  const step = intervalMs / pairs.length;
  const total = Math.floor((seconds * 1000) / step);
  const result = await measure("paced", options, pairs, seconds, (_, start) => {
    let k = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      for (; k < total && start + k * step <= now; k++) {
        const pair = pairs[k % pairs.length];
        if (pair.outstanding) skipped++;
        else sendA(pair);
      }
      if (k >= total) clearInterval(timer);
    }, 1);
  });
  return { ...result, skipped };
}

async function main(options: LoadOptions) {
  const creds: PairCredentials[] = options.credentials
    ? JSON.parse(await Deno.readTextFile(options.credentials))
      .slice(options.offset, options.offset + options.pairs)
    : Array.from({ length: options.pairs }, () => ({
      token: crypto.randomUUID(),
      host: crypto.randomUUID(),
      guest: crypto.randomUUID(),
    }));
  const all: Pair[] = creds.map((c) => ({
    creds: c,
    a: null,
    b: null,
    ready: 0,
    onReady: null,
    seq: 0,
    sentAt: 0,
    roundTrips: 0,
    outstanding: false,
    bucketA: new Bucket(),
    bucketB: new Bucket(),
    frameA: relayFrame(),
    frameB: relayFrame(),
  }));
  const start = performance.now();
  const ready: Pair[] = [];
  for (let i = 0; i < all.length; i += options.connectBatch) {
    const batch = all.slice(i, i + options.connectBatch);
    const oks = await Promise.all(batch.map((pair) => connect(options, pair)));
    batch.forEach((pair, j) => oks[j] && ready.push(pair));
  }
  console.log(JSON.stringify({
    phase: "connected",
    pairs: ready.length,
    failed: all.length - ready.length,
    seconds: (performance.now() - start) / 1000,
  }));
  for await (const line of stdinLines()) {
    const [command, ...args] = line.split(" ");
    const [pairs, seconds, intervalMs] = args.map(Number);
    if (command === "saturate") {
      console.log(JSON.stringify(await saturate(options, ready.slice(0, pairs), seconds)));
    } else if (command === "paced") {
      console.log(JSON.stringify(await paced(options, ready.slice(0, pairs), seconds, intervalMs)));
    }
  }
  stopping = true;
  Deno.exit(0);
}

if (import.meta.main) await main(JSON.parse(Deno.args[0]) as LoadOptions);
