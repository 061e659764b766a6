/**
 * A closed-loop HTTP load generator in its own process, so the client never shares the server's
 * event loop: `wrk` when installed (a C client that costs the server's core the least), else this
 * file run as a Deno subprocess with keep-alive `fetch` loops. Both report the same summary.
 */
import { cpuSeconds, hasExecutable, spawnJson } from "./proc.ts";
import { summarize } from "./stats.ts";

const WRK_PATH = "/usr/bin/wrk";

export interface HttpLoadOptions {
  url: string;
  method: "GET" | "POST";
  body?: string;
  contentType?: string;
  connections: number;
  seconds: number;
  /** Spread requests over this many `X-Forwarded-For` addresses (the server must trust it). */
  forwardedAddresses?: number;
  /** Hard cap on requests for the Deno client (wrk is bounded by time only). */
  maxRequests?: number;
}

export interface HttpLoadResult {
  client: "wrk" | "deno";
  /** Requests answered with a 2xx status. */
  ok: number;
  /** Non-2xx answers and transport errors. */
  errors: number;
  seconds: number;
  perSecond: number;
  /** Latency in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** CPU share of the client process (1.0 = one core). */
  clientCpu: number;
}

/** Which client `httpLoad` uses: BENCH_HTTP_CLIENT=deno forces the Deno client. */
export function httpClientKind(): "wrk" | "deno" {
  if (Deno.env.get("BENCH_HTTP_CLIENT") === "deno") return "deno";
  return hasExecutable(WRK_PATH) ? "wrk" : "deno";
}

export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  return httpClientKind() === "wrk" ? await wrkLoad(options) : await denoLoad(options);
}

async function wrkLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const script = await Deno.makeTempFile({ prefix: "bench-wrk-", suffix: ".lua" });
  await Deno.writeTextFile(script, wrkScript(options));
  try {
    const child = spawnJson([
      WRK_PATH,
      "-t1",
      `-c${options.connections}`,
      `-d${Math.max(1, Math.round(options.seconds))}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      options.url,
    ], { quiet: true });
    // wrk exits right after its summary, so sample its CPU time while it runs.
    const started = performance.now();
    let sampled = { cpu: 0, at: started };
    const sampler = setInterval(() => {
      try {
        sampled = { cpu: cpuSeconds(child.pid), at: performance.now() };
      } catch { /* exited */ }
    }, 250);
    const raw = await child.next<WrkSummary>((options.seconds + 30) * 1000)
      .finally(() => clearInterval(sampler));
    await child.stop();
    const seconds = raw.duration_us / 1e6;
    const errors = raw.status + raw.connect + raw.read + raw.write + raw.timeout;
    const ok = raw.requests - raw.status;
    return {
      client: "wrk",
      ok,
      errors,
      seconds,
      perSecond: ok / seconds,
      p50: raw.p50_us / 1000,
      p99: raw.p99_us / 1000,
      max: raw.max_us / 1000,
      clientCpu: sampled.cpu / Math.max(0.001, (sampled.at - started) / 1000),
    };
  } finally {
    await Deno.remove(script).catch(() => {});
  }
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
}

/** Lua for wrk: the request shape, optional address spreading, and a JSON summary line. */
function wrkScript(options: HttpLoadOptions): string {
  const long = (text: string) => `[==[${text}]==]`;
  const lines = [
    `wrk.method = "${options.method}"`,
    options.body !== undefined ? `wrk.body = ${long(options.body)}` : "",
    options.contentType ? `wrk.headers["Content-Type"] = ${long(options.contentType)}` : "",
  ];
  if (options.forwardedAddresses) {
    lines.push(
      "local counter = 0",
      "request = function()",
      `  counter = (counter + 1) % ${options.forwardedAddresses}`,
      "  local headers = {}",
      "  for name, value in pairs(wrk.headers) do headers[name] = value end",
      '  headers["X-Forwarded-For"] = "10.0." .. math.floor(counter / 256) .. "." .. (counter % 256)',
      "  return wrk.format(nil, nil, headers, nil)",
      "end",
    );
  }
  lines.push(
    "done = function(summary, latency, requests)",
    "  local e = summary.errors",
    "  io.write(string.format(" +
      `'{"requests":%.0f,"duration_us":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,` +
      `"status":%.0f,"timeout":%.0f,"p50_us":%.0f,"p99_us":%.0f,"max_us":%.0f}\\n',`,
    "    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,",
    "    latency:percentile(50), latency:percentile(99), latency.max))",
    "end",
  );
  return lines.filter(Boolean).join("\n") + "\n";
}

async function denoLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const child = spawnJson([
    Deno.execPath(),
    "run",
    // All access: Deno asks for it to read /proc/self (the client's own CPU time).
    "--allow-all",
    new URL(import.meta.url).pathname,
    JSON.stringify(options),
  ]);
  const result = await child.next<HttpLoadResult>((options.seconds + 30) * 1000);
  await child.stop();
  return result;
}

/** The Deno client: `connections` keep-alive loops until the time or request budget runs out. */
async function runDenoClient(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let issued = 0;
  let counter = 0;
  const maxRequests = options.maxRequests ?? 1_000_000;
  const cpuStart = cpuSeconds("self");
  const start = performance.now();
  const end = start + options.seconds * 1000;
  const loop = async () => {
    while (performance.now() < end && issued < maxRequests) {
      issued++;
      const headers: Record<string, string> = {};
      if (options.contentType) headers["content-type"] = options.contentType;
      if (options.forwardedAddresses) {
        counter = (counter + 1) % options.forwardedAddresses;
        headers["x-forwarded-for"] = `10.0.${Math.floor(counter / 256)}.${counter % 256}`;
      }
      const began = performance.now();
      try {
        const response = await fetch(options.url, {
          method: options.method,
          body: options.body,
          headers,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        if (response.ok) {
          ok++;
          latencies.push(performance.now() - began);
        } else errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const seconds = (performance.now() - start) / 1000;
  const summary = summarize(latencies);
  return {
    client: "deno",
    ok,
    errors,
    seconds,
    perSecond: ok / seconds,
    p50: summary.p50,
    p99: summary.p99,
    max: summary.max,
    clientCpu: (cpuSeconds("self") - cpuStart) / seconds,
  };
}

if (import.meta.main) {
  const result = await runDenoClient(JSON.parse(Deno.args[0]) as HttpLoadOptions);
  console.log(JSON.stringify(result));
  Deno.exit(0);
}
