/**
 * Helpers for the deployment tests: a clean copy of the repository in a temporary folder, a free
 * loopback port, and a server process that is polled until its health endpoint answers.
 */
import assert from "node:assert/strict";

export const REPO_ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Folders that are generated or local and never part of a fresh checkout. */
const LOCAL_ONLY = [".git", "data", "static/build", "node_modules", "tests/.tmp", "bench/results"];

async function walk(root: string, dir = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir ? `${root}/${dir}` : root)) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory) files.push(...await walk(root, path));
    else if (entry.isFile) files.push(path);
  }
  return files;
}

/** The files a fresh clone plus the author's uncommitted, not-ignored work would have. */
export async function checkoutFiles(): Promise<string[]> {
  const output = await new Deno.Command("git", {
    args: ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => null);
  if (output?.success) {
    const listed = new TextDecoder().decode(output.stdout).split("\0").filter(Boolean);
    const present: string[] = [];
    for (const path of listed) {
      // Files deleted in the working tree but still in the index are not part of the copy.
      if (await Deno.stat(`${REPO_ROOT}/${path}`).then((s) => s.isFile, () => false)) {
        present.push(path);
      }
    }
    return present;
  }
  const all = await walk(REPO_ROOT);
  return all.filter((path) =>
    !LOCAL_ONLY.some((dir) => path === dir || path.startsWith(dir + "/"))
  );
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * Docker's build-context filter: each .dockerignore line is a glob relative to the context root
 * (a leading "!" re-includes), and a match on a folder excludes everything under it. The last
 * matching line wins, as in Docker.
 */
export function dockerignoreFilter(text: string): (path: string) => boolean {
  const rules = text.split("\n").map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, "");
      return { negate, regexp: globToRegExp(pattern) };
    });
  return (path) => {
    const parts = path.split("/");
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let included = true;
    for (const rule of rules) {
      if (prefixes.some((prefix) => rule.regexp.test(prefix))) included = rule.negate;
    }
    return included;
  };
}

/** Every file in the working tree, as Docker would see the build context. */
export async function contextFiles(): Promise<string[]> {
  const include = dockerignoreFilter(await Deno.readTextFile(`${REPO_ROOT}/.dockerignore`));
  return (await walk(REPO_ROOT)).filter(include);
}

/** Copies `files` (paths relative to the repository) into a new temporary folder. */
export async function copyInto(files: string[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-copy-" });
  for (const path of files) {
    const target = `${dir}/${path}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${REPO_ROOT}/${path}`, target);
  }
  return dir;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * The environment a child process gets: this one (certificates, proxies, Deno's cache) without
 * any app configuration a developer may have exported, plus `extra`.
 */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(Deno.env.toObject())) {
    if (!name.startsWith("CHAT_") && name !== "PORT") env[name] = value;
  }
  env.NO_COLOR = "1";
  // `deno` on the PATH is the Deno running these tests.
  const denoDir = Deno.execPath().slice(0, Deno.execPath().lastIndexOf("/"));
  env.PATH = [denoDir, env.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(":");
  return { ...env, ...extra };
}

export interface ServerProcess {
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number>;
  /** Sends `signal` now (e.g. SIGKILL to play a crash). */
  kill(signal: Deno.Signal): void;
  /** The exit code once the process has exited. */
  exited: Promise<number>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `command args` in `cwd` and polls `GET /api/health` on `port` until it answers 200.
 * Fails with the process output when the process exits first or nothing answers in `timeoutMs`.
 */
export async function startServer(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; port: number; timeoutMs?: number },
): Promise<ServerProcess> {
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  let exited: number | null = null;
  const status = child.status.then((s) => exited = s.code);

  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let healthy = false;
  while (!healthy) {
    if (exited !== null) {
      await pumps;
      throw new Error(`${command} ${args.join(" ")} exited with ${exited}:\n${output}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await status;
      await pumps;
      throw new Error(`${command} ${args.join(" ")} never became healthy:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      await response.body?.cancel();
      healthy = response.status === 200;
    } catch {
      // Not listening yet.
    }
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  let stopping: Promise<number> | null = null;
  const stop = () =>
    stopping ??= (async () => {
      if (exited === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => {
          if (exited === null) child.kill("SIGKILL");
        }, 15_000);
        await status;
        clearTimeout(timer);
      }
      await pumps;
      return exited!;
    })();
  return {
    url,
    output: () => output,
    stop,
    kill: (signal) => {
      if (exited === null) child.kill(signal);
    },
    exited: status,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}

/** Runs a command to completion; fails with its output unless it exits 0. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<string> {
  const result = await new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const output = decoder.decode(result.stdout) + decoder.decode(result.stderr);
  assert.equal(result.code, 0, `${command} ${args.join(" ")} failed:\n${output}`);
  return output;
}
