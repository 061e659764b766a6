/**
 * File descriptors the front may spend. Deno.serve's own accept loop ends the process when accept
 * fails with EMFILE (an uncaught error inside the runtime), so the front must never let the app's
 * internal server reach the limit: it counts what its connections hold (one descriptor while a
 * request head is read, three once piped: client, front->app, and the app's side) and refuses
 * connections past the process limit, less what the process held at start and a reserve.
 */

/** Descriptors kept free for the database, files, outgoing requests and the runtime. */
const RESERVE = 48;

/** Descriptors a connection holds once it is piped to the app. */
export const PIPED_FDS = 3;

/** The process's open-file limit and its open descriptors now (Linux /proc); null elsewhere. */
function readFdState(): { limit: number; open: number } | null {
  try {
    const limits = Deno.readTextFileSync("/proc/self/limits");
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (!match || match[1] === "unlimited") return null;
    let open = 0;
    for (const _ of Deno.readDirSync("/proc/self/fd")) open++;
    return { limit: Number(match[1]), open };
  } catch {
    return null;
  }
}

export class FdBudget {
  readonly available: number;
  used = 0;

  constructor(state = readFdState()) {
    this.available = state ? state.limit - state.open - RESERVE : Infinity;
  }

  /** Takes `count` descriptors if they are free. */
  take(count: number): boolean {
    if (this.used + count > this.available) return false;
    this.used += count;
    return true;
  }

  give(count: number): void {
    this.used -= count;
  }
}
