/** Starting the three relays under test as separate processes, and the node `ws` install. */
import { type JsonChild, spawnJson } from "../proc.ts";

export type RelayKind = "hub" | "hub-direct" | "hub-pg" | "deno" | "node";

export interface RelayServer {
  kind: RelayKind;
  label: string;
  pid: number;
  port: number;
  /** Full garbage collection in the server, so memory readings hold live data only. */
  gc(): Promise<void>;
  /** The server's event-loop lag (ms) since the previous call. */
  lag(): Promise<{ p99: number; max: number }>;
  stop(): Promise<void>;
}

const here = (file: string) => new URL(file, import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const NODE_MODULES = here("../.node_modules/");

/** Extra V8 flags for every relay server (comma-separated), e.g. to try GC settings. */
const serverV8Flags = () =>
  (Deno.env.get("BENCH_SERVER_V8_FLAGS") ?? "").split(",").map((f) => f.trim()).filter(Boolean);

function denoScript(script: string, ...args: string[]): string[] {
  return [
    Deno.execPath(),
    "run",
    "--allow-all",
    "--config",
    CONFIG,
    `--v8-flags=${["--expose-gc", ...serverV8Flags()].join(",")}`,
    here(script),
    ...args,
  ];
}

function which(name: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch { /* not here */ }
  }
  return null;
}

/** The `ws` version pinned in deno.json, so node and Deno's compat run the same package. */
async function wsVersion(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(CONFIG));
  return /ws@([\d.]+)/.exec(config.imports?.ws ?? "")?.[1] ?? "8";
}

/**
 * Node and `ws` installed into bench/.node_modules (git-ignored) with npm; null when node or npm is
 * missing or the install fails, and the caller falls back to Deno's npm compatibility.
 */
export async function ensureNodeWs(): Promise<string | null> {
  const node = which("node");
  const npm = which("npm");
  if (!node) return null;
  try {
    Deno.statSync(`${NODE_MODULES}node_modules/ws/package.json`);
    return node;
  } catch { /* not installed yet */ }
  if (!npm) return null;
  const { success } = await new Deno.Command(npm, {
    args: ["install", "--prefix", NODE_MODULES, `ws@${await wsVersion()}`, "--no-save"]
      .concat(["--no-audit", "--no-fund", "--loglevel=error"]),
    stdout: "null",
    stderr: "inherit",
  }).output();
  return success ? node : null;
}

export async function startRelay(
  kind: RelayKind,
  options: {
    dbPath?: string;
    node?: string | null;
    /** hub-pg: the PostgreSQL database and schema the instance works in. */
    postgres?: { url: string; schema: string };
  } = {},
): Promise<RelayServer> {
  let child: JsonChild;
  let label: string;
  if (kind === "hub") {
    child = spawnJson(denoScript("hub_server.ts", options.dbPath!));
    label = "hub (real server)";
  } else if (kind === "hub-direct") {
    child = spawnJson(denoScript("hub_server.ts", options.dbPath!), {
      env: { BENCH_CONNECTION_FRONT: "false" },
    });
    label = "hub without the connection front";
  } else if (kind === "hub-pg") {
    const { url, schema } = options.postgres!;
    child = spawnJson(denoScript("hub_server.ts", url, schema));
    label = "hub on PostgreSQL";
  } else if (kind === "deno") {
    child = spawnJson(denoScript("deno_relay.ts"));
    label = "minimal Deno relay";
  } else if (options.node) {
    child = spawnJson(
      [options.node, "--expose-gc", ...serverV8Flags(), here("node_ws_relay.mjs")],
      {
        env: { BENCH_WS_FROM: NODE_MODULES },
      },
    );
    label = "minimal node ws relay";
  } else {
    child = spawnJson(denoScript("node_ws_relay.mjs"));
    label = "minimal ws relay (Deno npm compat)";
  }
  const { port } = await child.next<{ port: number }>(30_000);
  return {
    kind,
    label,
    pid: child.pid,
    port,
    async gc() {
      await child.send("gc");
      await child.next(30_000);
    },
    async lag() {
      await child.send("lag");
      return (await child.next<{ lag: { p99: number; max: number } }>(30_000)).lag;
    },
    stop: () => child.stop(3000),
  };
}
