/**
 * The Dockerfile, without a Docker engine: its instructions are parsed, the build context is the
 * working tree filtered by .dockerignore, and the exact RUN, CMD and HEALTHCHECK commands run in a
 * clean copy with the Deno installed here. The dependency cache starts empty (as in the image),
 * and the CMD runs with downloads blocked, so it proves the RUN steps cached everything.
 */
import assert from "node:assert/strict";
import {
  baseEnv,
  contextFiles,
  copyInto,
  dockerignoreFilter,
  freePort,
  REPO_ROOT,
  run,
  startServer,
} from "./fresh_copy.ts";

interface Instruction {
  keyword: string;
  /** The arguments after the keyword, flags (--x=y) removed. */
  args: string;
  flags: string[];
}

/** Splits a Dockerfile into instructions, joining continuation lines and dropping comments. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) continue;
    if (pending && line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += line.slice(0, -1) + " ";
      continue;
    }
    const full = (pending + line).trim();
    pending = "";
    const match = /^(\w+)\s+(.*)$/s.exec(full);
    assert.ok(match, `cannot parse Dockerfile line: ${full}`);
    let rest = match[2];
    const flags: string[] = [];
    for (let flag = /^--\S+\s+/.exec(rest); flag; flag = /^--\S+\s+/.exec(rest)) {
      flags.push(flag[0].trim());
      rest = rest.slice(flag[0].length);
    }
    instructions.push({ keyword: match[1].toUpperCase(), args: rest.trim(), flags });
  }
  return instructions;
}

/** Exec form (a JSON array) as argv; shell form as `sh -c`. */
function argv(args: string): string[] {
  if (args.startsWith("[")) {
    const parsed = JSON.parse(args);
    assert.ok(Array.isArray(parsed) && parsed.every((a) => typeof a === "string"), args);
    return parsed;
  }
  return ["/bin/sh", "-c", args];
}

/** `ENV A=1 B=2` (and the legacy `ENV A 1`) as pairs. */
function envPairs(args: string): [string, string][] {
  if (!/^\S+=/.test(args)) {
    const [name, ...value] = args.split(/\s+/);
    return [[name, value.join(" ")]];
  }
  return [...args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((
    m,
  ) => [m[1], m[2].startsWith('"') ? JSON.parse(m[2]) : m[2]]);
}

/** The official image's entrypoint runs `deno <args>` when the first argument is a subcommand. */
const DENO_SUBCOMMANDS = new Set([
  "bench",
  "cache",
  "check",
  "compile",
  "eval",
  "fmt",
  "install",
  "lint",
  "run",
  "serve",
  "task",
  "test",
]);

function entrypoint(command: string[]): string[] {
  return DENO_SUBCOMMANDS.has(command[0]) || command[0]?.startsWith("-")
    ? ["deno", ...command]
    : command;
}

const dockerfile = await Deno.readTextFile(`${REPO_ROOT}/Dockerfile`);
const instructions = parseDockerfile(dockerfile);
const only = (keyword: string) => instructions.filter((i) => i.keyword === keyword);

Deno.test("[docker] the Dockerfile builds on the official Deno 2.9.6 image", () => {
  const from = only("FROM");
  assert.equal(from.length, 1);
  assert.equal(from[0].args, "denoland/deno:2.9.6");
  assert.ok(only("COPY").some((c) => /^\.\s+\.\/?$/.test(c.args)), "COPY . . copies the app");
  assert.ok(only("RUN").some((r) => /deno (cache|install)\b/.test(r.args)), "deps are cached");
  const cmd = only("CMD").at(-1) ?? only("ENTRYPOINT").at(-1);
  assert.ok(cmd, "a CMD or ENTRYPOINT");
  assert.deepEqual(entrypoint(argv(cmd.args)), ["deno", "task", "start"]);
  assert.ok(only("EXPOSE").some((e) => e.args.split(/\s+/).includes("8000")));
  const user = only("USER").at(-1);
  assert.ok(user && user.args !== "root", "the server does not run as root");
});

Deno.test("[docker] .dockerignore keeps local data, builds and tooling out of the image", async () => {
  const include = dockerignoreFilter(await Deno.readTextFile(`${REPO_ROOT}/.dockerignore`));
  for (
    const path of [
      "data/chat_orbit.db",
      "static/build/app.js",
      ".git",
      "node_modules/x/index.js",
      "chat.db",
      "server/x.db-wal",
    ]
  ) {
    assert.equal(include(path), false, `${path} must not be in the image`);
  }
  for (const path of ["main.ts", "deno.json", "deno.lock", "server/app.ts"]) {
    assert.equal(include(path), true, `${path} must be in the image`);
  }
  const files = await contextFiles();
  assert.ok(files.includes("main.ts") && files.includes("deno.lock"));
  assert.ok(!files.some((f) => f.startsWith("data/")));
});

Deno.test("[docker] the image's RUN steps and CMD, run on a clean copy, serve health 200", async () => {
  const dir = await copyInto(await contextFiles());
  const denoDir = await Deno.makeTempDir({ prefix: "chatorbit-deno-dir-" });
  try {
    // As in the image: an empty dependency cache, and the Dockerfile's ENV applied in order.
    let env = baseEnv({ DENO_DIR: denoDir });
    for (const instruction of instructions) {
      if (instruction.keyword === "ENV") {
        for (const [name, value] of envPairs(instruction.args)) env[name] = value;
      } else if (instruction.keyword === "RUN") {
        const [command, ...args] = argv(instruction.args);
        await run(command, args, { cwd: dir, env });
      }
    }
    const cmd = only("CMD").at(-1) ?? only("ENTRYPOINT").at(-1);
    const [command, ...args] = entrypoint(argv(cmd!.args));
    const port = freePort();
    // `docker run -e PORT=… -e CHAT_HOST=…`; downloads are blocked through a dead proxy.
    const offline = { ...env };
    for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY"]) {
      offline[name] = "http://127.0.0.1:9";
    }
    for (const name of ["NO_PROXY", "no_proxy"]) delete offline[name];
    env = { ...offline, PORT: String(port), CHAT_HOST: "127.0.0.1" };
    const server = await startServer(command, args, { cwd: dir, env, port });
    try {
      const health = await fetch(`${server.url}/api/health/database`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: "ok" });
      assert.ok((await Deno.stat(`${dir}/data/chat_orbit.db`)).isFile, "data/ holds the database");

      // The HEALTHCHECK command agrees.
      const check = only("HEALTHCHECK").at(-1);
      if (check) {
        const [checkCommand, ...checkArgs] = argv(check.args.replace(/^CMD\s+/, ""));
        await run(checkCommand, checkArgs, { cwd: dir, env });
      }
    } finally {
      assert.equal(await server.stop(), 0, server.output());
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  }
});
