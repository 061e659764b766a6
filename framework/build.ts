/**
 * The island build: one `deno bundle --code-splitting --minify` run over the boot runtime and every
 * island, then content-hashed file names and a manifest (assets.ts reads it).
 *
 * esbuild already names shared chunks by content hash; entries are renamed here to
 * `Name-<hash>.js`, which is safe because no output imports an entry (checked below). Static files
 * (styles.css, favicon.svg) are copied with a hash too, so everything under /build is immutable.
 *
 * Nothing runs on import: callers use build(), isStale() or ensureBuilt().
 */
import { createHash } from "node:crypto";
import { dirname, extname, join, relative } from "node:path";
import { pagesConfig, projectRoot } from "./config.ts";
import { type BuildManifest, manifestPath, readManifest } from "./assets.ts";

const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".js", ".json", ".css", ".svg"]);
const HASH_LENGTH = 10;

function contentHash(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("base64url").slice(0, HASH_LENGTH)
    .replaceAll("_", "x").replaceAll("-", "y");
}

async function listFiles(dir: string, recursive: boolean): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory && recursive) files.push(...await listFiles(path, true));
      else if (entry.isFile) files.push(path);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files.sort();
}

/** Top-level files of static/ that are copied into the build. */
function staticFiles(root: string): Promise<string[]> {
  return listFiles(join(root, pagesConfig.staticDir), false);
}

/** A hash over every input of the build: if it differs from the manifest's, the build is stale. */
export async function fingerprint(root = projectRoot): Promise<string> {
  const hash = createHash("sha256").update(`deno ${Deno.version.deno}\0`);
  const files: string[] = [];
  for (const dir of pagesConfig.sourceDirs) files.push(...await listFiles(join(root, dir), true));
  files.push(...pagesConfig.sourceFiles.map((file) => join(root, file)));
  files.push(...await staticFiles(root));
  for (const file of files) {
    if (!SOURCE_EXTENSIONS.has(extname(file)) || /_test\.tsx?$/.test(file)) continue;
    hash.update(relative(root, file)).update("\0");
    try {
      hash.update(await Deno.readFile(file)).update("\0");
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return hash.digest("hex");
}

/** Whether the build output is missing or older than its sources. */
async function isStale(root = projectRoot): Promise<boolean> {
  const manifest = readManifest(root);
  return manifest === null || manifest.fingerprint !== await fingerprint(root);
}

async function islandEntries(root: string): Promise<string[]> {
  const files = await listFiles(join(root, pagesConfig.islandsDir), false);
  return files.filter((file) => /\/[A-Z][A-Za-z0-9]*\.tsx$/.test(file)).map((file) =>
    relative(root, file)
  );
}

async function bundle(root: string, entries: string[], outdir: string): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--code-splitting",
      "--minify",
      "--platform=browser",
      "--format=esm",
      `--outdir=${outdir}`,
      ...entries,
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!output.success) {
    const message = new TextDecoder().decode(output.stderr).trim();
    throw new Error(`deno bundle failed:\n${message}`);
  }
}

const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)"(\.{1,2}\/[^"]+\.js)"/g;
const DYNAMIC_IMPORT = /\bimport\(\s*"(\.{1,2}\/[^"]+\.js)"\s*\)/g;

function importsOf(code: string, pattern: RegExp, file: string): string[] {
  return [...code.matchAll(pattern)].map((match) => join(dirname(file), match[1]));
}

const BARE_IMPORT = /\bimport\s*"(\.{1,2}\/[^"]+\.js)";?/g;

/**
 * Removes the chunks that came out empty, and the bare imports of them. esbuild inlines constants
 * across modules, so a module shared only for its constants (contract/) can leave an empty chunk
 * behind, which would cost every page that loads it a request and a preload for nothing.
 */
function dropEmptyChunks(outputs: Map<string, string>): void {
  const empty = new Set(
    [...outputs].filter(([, code]) => code.trim() === "").map(([file]) => file),
  );
  if (empty.size === 0) return;
  for (const file of empty) outputs.delete(file);
  for (const [file, code] of outputs) {
    outputs.set(
      file,
      code.replace(
        BARE_IMPORT,
        (statement, target) => empty.has(join(dirname(file), target)) ? "" : statement,
      ),
    );
  }
}

/** Builds the islands into the build folder and writes its manifest. */
export async function build(root = projectRoot): Promise<BuildManifest> {
  const print = await fingerprint(root);
  const islands = await islandEntries(root);
  const entries = [pagesConfig.bootEntry, ...islands];
  const temp = await Deno.makeTempDir({ prefix: "chatorbit-build-" });
  try {
    await bundle(root, entries, temp);
    const outputs = new Map<string, string>();
    for (const file of await listFiles(temp, true)) {
      outputs.set(relative(temp, file), await Deno.readTextFile(file));
    }
    dropEmptyChunks(outputs);
    // Entry "islands/Room.tsx" comes out as "islands/Room.js".
    const entryOutputs = new Map(entries.map((entry) => [entry.replace(/\.tsx?$/, ".js"), entry]));
    const renamed = new Map<string, string>();
    for (const [file, code] of outputs) {
      if (!entryOutputs.has(file)) {
        renamed.set(file, file);
        continue;
      }
      const base = file.slice(0, -".js".length);
      renamed.set(file, `${base}-${contentHash(code)}.js`);
    }
    const imports: Record<string, string[]> = {};
    const dynamicImports: Record<string, string[]> = {};
    for (const [file, code] of outputs) {
      const statics = importsOf(code, STATIC_IMPORT, file);
      const dynamics = importsOf(code, DYNAMIC_IMPORT, file);
      for (const target of [...statics, ...dynamics]) {
        if (entryOutputs.has(target)) {
          throw new Error(`${file} imports the entry ${target}; entries must not import entries.`);
        }
      }
      imports[renamed.get(file)!] = statics;
      dynamicImports[renamed.get(file)!] = dynamics;
    }

    const outDir = join(root, pagesConfig.buildDir);
    const written = new Set<string>();
    const write = async (file: string, data: Uint8Array | string) => {
      const target = join(outDir, file);
      await Deno.mkdir(dirname(target), { recursive: true });
      // Write then rename, so a server reading the folder never sees half a file.
      const partial = `${target}.${crypto.randomUUID()}.tmp`;
      if (typeof data === "string") await Deno.writeTextFile(partial, data);
      else await Deno.writeFile(partial, data);
      await Deno.rename(partial, target);
      written.add(file);
    };
    for (const [file, code] of outputs) await write(renamed.get(file)!, code);

    const assets: Record<string, string> = {};
    for (const path of await staticFiles(root)) {
      const bytes = await Deno.readFile(path);
      const name = relative(join(root, pagesConfig.staticDir), path);
      const extension = extname(name);
      assets[name] = `${name.slice(0, -extension.length)}-${contentHash(bytes)}${extension}`;
      await write(assets[name], bytes);
    }

    const manifest: BuildManifest = {
      version: 1,
      fingerprint: print,
      boot: renamed.get(entries[0].replace(/\.tsx?$/, ".js"))!,
      islands: Object.fromEntries(
        islands.map((entry) => [
          entry.slice(entry.lastIndexOf("/") + 1, -".tsx".length),
          renamed.get(entry.replace(/\.tsx$/, ".js"))!,
        ]),
      ),
      imports,
      dynamicImports,
      assets,
    };
    await write("manifest.json", JSON.stringify(manifest, null, 2) + "\n");
    for (const file of await listFiles(outDir, true)) {
      const name = relative(outDir, file);
      if (!written.has(name) && !name.endsWith(".tmp")) await Deno.remove(file);
    }
    return manifest;
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
}

/** Builds when the output is missing or stale; says whether it did. */
export async function ensureBuilt(root = projectRoot): Promise<boolean> {
  if (!await isStale(root)) return false;
  await build(root);
  return true;
}

export { manifestPath };
