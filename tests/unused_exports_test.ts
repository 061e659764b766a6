/**
 * Nothing in the project is unused (issue 10): every export of the project's own TypeScript is
 * read by another file, or it is not exported. A text scan, not a parser: a name counts as used by
 * another file when that file names the exporting file (`hub.ts`, in an import, `import()`,
 * `typeof import()` or a path) and contains the name as a word. Anything it cannot see goes into
 * one of the named allowances below, each with its reason.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

/** Folders that hold no source of ours (dependencies, build output, data, prose). */
const SKIPPED_DIRS = new Set([
  ".git",
  "node_modules",
  "docs",
  "data",
  "static/build",
  "tests/.tmp",
  "tests/screenshots",
  "bench/results",
]);

/** Whole folders whose exports need no reader. */
const ALLOWED_DIRS: Record<string, string> = {
  "contract/": "the wire contract documents each constant and shape once, read or not",
};

/** Exports read by a framework or tool through the module object, never by name in our code. */
const ALLOWED_BY_CONVENTION: { files: RegExp; names: string[]; reason: string }[] = [
  {
    files: /^routes\/.+\.tsx$/,
    names: ["default", "handler"],
    reason: "the page layer reads a route module's default and handler (RouteModule, runtime.ts)",
  },
  {
    files: /^islands\/[A-Z]\w*\.tsx$/,
    names: ["default"],
    reason: "an island is its default export (pages_manifest.ts, framework/boot.ts)",
  },
  {
    files: /^server\/db\/migrations\/\d{8}_\d{4}_\w+\.ts$/,
    names: ["up", "down"],
    reason: "Kysely's Migrator calls up and down of each module in migrator.ts's record",
  },
];

/** Exports of files that are run, not imported (deno.json tasks, subprocess scripts). */
const ENTRY_POINTS: Record<string, string> = {
  "main.ts": "deno task start",
  "framework/build_cli.ts": "deno task build",
  "tests/run.ts": "deno task test",
  "bench/main.ts": "deno task bench",
};

interface Export {
  file: string;
  name: string;
  /** Values (const, let, function, class, re-exported bindings) may not be exported for nothing. */
  value: boolean;
  /** Passed on from another module (`export { name } from "./x.ts"`): its own file cannot use it. */
  passedOn: boolean;
}

async function sourceFiles(dir = root): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    const rel = relative(root, path);
    if (entry.isDirectory) {
      if (!SKIPPED_DIRS.has(rel)) found.push(...await sourceFiles(path));
    } else if (/\.tsx?$/.test(entry.name)) found.push(rel);
  }
  return found.sort();
}

const DECLARATION =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(const|let|var|function\*?|class|type|interface|enum|namespace)\s+([\w$]+)/gm;
const DEFAULT_EXPRESSION = /^export\s+default\s+(?!(?:async\s+)?function|class|abstract)/gm;
const LIST = /^export\s+(type\s+)?\{([^}]*)\}(\s*from\s*["'][^"']+["'])?/gm;
const STAR = /^export\s+\*/gm;
const IMPORT_STATEMENT = /^import\s[^;]*?(?:from\s*)?["'][^"']+["'];?/gm;

function exportsOf(file: string, source: string): Export[] {
  const found: Export[] = [];
  for (const match of source.matchAll(DECLARATION)) {
    const isDefault = /^export\s+(?:declare\s+)?default\b/.test(match[0]);
    const value = !["type", "interface"].includes(match[1]);
    found.push({ file, name: isDefault ? "default" : match[2], value, passedOn: false });
  }
  for (const _ of source.matchAll(DEFAULT_EXPRESSION)) {
    found.push({ file, name: "default", value: true, passedOn: false });
  }
  for (const match of source.matchAll(LIST)) {
    for (const part of match[2].split(",").map((part) => part.trim()).filter(Boolean)) {
      const type = Boolean(match[1]) || part.startsWith("type ");
      const name = part.replace(/^type\s+/, "").split(/\s+as\s+/).at(-1)!;
      const value = !type && !declaresType(source, name);
      found.push({ file, name, value, passedOn: Boolean(match[3]) });
    }
  }
  assert.equal(
    [...source.matchAll(STAR)].length,
    0,
    `${file}: \`export *\` hides which names it passes on; name them`,
  );
  return found;
}

function declaresType(source: string, name: string): boolean {
  return new RegExp(`(?:^|\\s)(?:type|interface)\\s+${escape(name)}\\b`).test(source);
}

function escape(name: string): string {
  return name.replace(/\$/g, "\\$");
}

function count(text: string, name: string): number {
  return [...text.matchAll(new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`, "g"))].length;
}

/** Whether `source` uses `name` beyond declaring, importing and exporting it. */
function usesOwn(source: string, name: string): boolean {
  const body = source.replace(IMPORT_STATEMENT, "").replace(LIST, "");
  const declarations = new RegExp(
    `(?:const|let|var|function\\*?|class|type|interface|enum|namespace)\\s+${
      escape(name)
    }(?![\\w$])`,
    "g",
  );
  return count(body, name) > [...body.matchAll(declarations)].length;
}

/** Whether a type's own-file uses include an exported declaration (its public signature). */
function inExportedDeclaration(source: string, name: string): boolean {
  // A top-level statement runs from a line at column 0 to the next one (deno fmt's layout).
  const statements = source.split(/\n(?=[^\s})\]])/);
  return statements.some((statement) =>
    /^export\s/.test(statement) && !new RegExp(
      `^export\\s+(?:declare\\s+)?(?:type|interface)\\s+${escape(name)}(?![\\w$])`,
    ).test(statement) && count(statement, name) > 0
  );
}

/**
 * The project files `file` names: every path ending in .ts or .tsx in its text (specifiers,
 * `new URL(...)`, script paths), resolved from its folder when it starts with "." and otherwise
 * matched as a path suffix from the root (a subprocess's "main.ts", `${dir}/hub_server.ts`).
 */
function filesNamed(file: string, source: string, files: string[]): Set<string> {
  const named = new Set<string>();
  for (const [path] of source.matchAll(/[\w.\-[\]/]*\.tsx?(?![\w])/g)) {
    if (path.startsWith(".")) named.add(normalize(join(dirname(file), path)));
    else {
      const tail = path.replace(/^\/+/, "");
      for (const other of files) if (other === tail || other.endsWith(`/${tail}`)) named.add(other);
    }
  }
  named.delete(file);
  return named;
}

function readsDefault(source: string): boolean {
  return /^import\s+[\w$]+\s*(?:,|from)/m.test(source) || /\.default\b|\bdefault:/.test(source);
}

function allowed(entry: Export): boolean {
  if (Object.keys(ALLOWED_DIRS).some((dir) => entry.file.startsWith(dir))) return true;
  if (entry.file in ENTRY_POINTS) return true;
  return ALLOWED_BY_CONVENTION.some((rule) =>
    rule.files.test(entry.file) && rule.names.includes(entry.name)
  );
}

/** Every export of `sources` (path from the root to text) no other file reads, in two lists. */
function unusedExports(sources: Map<string, string>): { dead: string[]; localOnly: string[] } {
  const files = [...sources.keys()];
  const named = new Map(files.map((file) => [file, filesNamed(file, sources.get(file)!, files)]));
  const dead: string[] = [];
  const localOnly: string[] = [];
  for (const file of files) {
    const source = sources.get(file)!;
    const seen = new Set<string>();
    for (const entry of exportsOf(file, source)) {
      if (seen.has(entry.name) || allowed(entry)) continue;
      seen.add(entry.name);
      const read = files.some((other) => {
        if (!named.get(other)!.has(file)) return false;
        const text = sources.get(other)!;
        return entry.name === "default" ? readsDefault(text) : count(text, entry.name) > 0;
      });
      if (read) continue;
      const label = `${file}: ${entry.name}`;
      if (entry.name === "default" || entry.passedOn || !usesOwn(source, entry.name)) {
        dead.push(label);
      } else if (entry.value || !inExportedDeclaration(source, entry.name)) localOnly.push(label);
    }
  }
  return { dead, localOnly };
}

Deno.test("[exports] every export is used by another file, or it is not exported", async () => {
  const sources = new Map<string, string>();
  for (const file of await sourceFiles()) {
    sources.set(file, await Deno.readTextFile(join(root, file)));
  }
  assert.deepEqual(
    unusedExports(sources),
    { dead: [], localOnly: [] },
    "dead: used nowhere, delete it; localOnly: used only in its own file, do not export it",
  );
});

Deno.test("[exports] the allowances name what exists, and every deno.json task's file", async () => {
  for (const dir of Object.keys(ALLOWED_DIRS)) {
    assert.ok((await Deno.stat(join(root, dir))).isDirectory);
  }
  for (const file of Object.keys(ENTRY_POINTS)) {
    assert.ok((await Deno.stat(join(root, file))).isFile);
  }
  const { tasks } = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  const taskFiles = Object.values(tasks as Record<string, string>)
    .flatMap((task) => task.match(/[\w/]+\.tsx?\b/g) ?? []);
  assert.deepEqual(taskFiles.filter((file) => !(file in ENTRY_POINTS)), []);
});

Deno.test("[exports] the scan sees each way of reading a name, and only those", () => {
  const sources = new Map(Object.entries({
    "a.ts": [
      "export const used = 1;",
      "export const onlyHere = 2;",
      "export function unused() {}",
      "export type Shape = { n: number };",
      "export function make(): Shape {",
      "  return { n: onlyHere };",
      "}",
      "export interface Inner {",
      "  a: number;",
      "}",
      "const inner: Inner = { a: 1 };",
      "console.log(inner);",
    ].join("\n"),
    "b.ts": [
      'import { used as u } from "./a.ts";',
      'import * as ns from "./sub/c.ts";',
      'type Make = typeof import("./a.ts").make;',
      "console.log(u, ns.viaNamespace);",
    ].join("\n"),
    "sub/c.ts": 'export const viaNamespace = 1;\nexport { make as made } from "../a.ts";',
    // Names `unused` without naming a.ts: not a reader.
    "d.ts": "const unused = 0;\nconsole.log(unused);",
    "routes/index.tsx": "export const handler = {};\nexport default function Page() {}",
  }));
  assert.deepEqual(unusedExports(sources), {
    dead: ["a.ts: unused", "sub/c.ts: made"],
    localOnly: ["a.ts: onlyHere", "a.ts: Inner"],
  });
});
