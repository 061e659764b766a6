/**
 * Child processes that speak one JSON object per stdout line, and the /proc readings the
 * benchmarks report (resident memory, CPU time).
 */

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ is 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface JsonChild {
  pid: number;
  /** The next stdout line that parses as a JSON object, or an error after `timeoutMs`. */
  next<T = Record<string, unknown>>(timeoutMs: number): Promise<T>;
  /** Writes one line to the child's stdin. */
  send(line: string): Promise<void>;
  /** Closes stdin, waits up to `graceMs` for the exit, then kills the process. */
  stop(graceMs?: number): Promise<void>;
  status: Promise<Deno.CommandStatus>;
}

/**
 * Spawns `command` through bash with the open-file limit raised to its hard maximum: thousands of
 * sockets need more descriptors than the usual soft limit.
 */
export function spawnJson(
  command: string[],
  options: { env?: Record<string, string>; cwd?: string; quiet?: boolean } = {},
): JsonChild {
  const child = new Deno.Command("bash", {
    args: ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "bench", ...command],
    stdin: "piped",
    stdout: "piped",
    stderr: options.quiet ? "null" : "inherit",
    env: options.env,
    cwd: options.cwd,
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(lineSplitter())
    .getReader();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  let stdinOpen = true;

  const next = async <T>(timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`pid ${child.pid}: no JSON line within ${timeoutMs} ms`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`pid ${child.pid}: no JSON line within ${timeoutMs} ms`)),
          remaining,
        );
      });
      try {
        const { value, done } = await Promise.race([lines.read(), timeout]);
        if (done) throw new Error(`pid ${child.pid} exited before sending the expected line`);
        const line = value.trim();
        if (!line.startsWith("{")) continue;
        try {
          return JSON.parse(line) as T;
        } catch {
          continue;
        }
      } finally {
        clearTimeout(timer);
      }
    }
  };

  const status = child.status;
  return {
    pid: child.pid,
    next,
    send: (line) => writer.write(encoder.encode(line + "\n")),
    status,
    async stop(graceMs = 5000) {
      if (stdinOpen) {
        stdinOpen = false;
        await writer.close().catch(() => {});
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const exited = await Promise.race([
        status.then(() => true),
        new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), graceMs)),
      ]);
      clearTimeout(timer);
      if (!exited) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        await status;
      }
      await lines.cancel().catch(() => {});
    },
  };
}

function lineSplitter(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const part of parts) controller.enqueue(part);
    },
    flush(controller) {
      if (buffer) controller.enqueue(buffer);
    },
  });
}

/** Resident set size of a process in bytes (VmRSS). */
export function rssBytes(pid: number | "self"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`No VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSeconds(pid: number | "self"): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // The command name may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU time all processes on the machine have used so far, in seconds (from /proc/stat). */
export function machineCpuSeconds(): number {
  const line = Deno.readTextFileSync("/proc/stat").split("\n", 1)[0];
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  const busy = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0) - ticks[3] - ticks[4];
  return busy / TICKS_PER_SECOND;
}

/**
 * Runs `fn` (a load run against a server in this process) and adds the CPU share this process
 * used and the share every other process used, besides the load client's own.
 */
export async function measureServerInProcess<T extends { seconds: number; clientCpu: number }>(
  fn: () => Promise<T>,
): Promise<T & { serverCpu: number; otherCpu: number }> {
  const before = { self: cpuSeconds("self"), machine: machineCpuSeconds(), at: performance.now() };
  const result = await fn();
  const elapsed = (performance.now() - before.at) / 1000;
  const self = cpuSeconds("self") - before.self;
  const machine = machineCpuSeconds() - before.machine;
  const client = result.clientCpu * result.seconds;
  return {
    ...result,
    serverCpu: self / result.seconds,
    otherCpu: Math.max(0, (machine - self - client) / elapsed),
  };
}

/** Whether an executable exists at `path`. */
export function hasExecutable(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
