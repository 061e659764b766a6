/**
 * The build manifest (written by build.ts) and the URLs it gives each asset: a page asks for
 * "styles.css" or the island "Room" and gets a content-hashed URL under /build, plus the chunks to
 * announce with `Link: rel=modulepreload`.
 */
import { join } from "node:path";
import { pagesConfig, projectRoot } from "./config.ts";

export interface BuildManifest {
  version: 1;
  /** Hash of every source the build read; a different value means the build is stale. */
  fingerprint: string;
  /** The runtime that hydrates islands, relative to the build folder. */
  boot: string;
  /** Island name -> its entry file. */
  islands: Record<string, string>;
  /** File -> the files it imports statically (what the browser will fetch at once). */
  imports: Record<string, string[]>;
  /** File -> the files it may import later with import(). */
  dynamicImports: Record<string, string[]>;
  /** Static file name (e.g. "styles.css") -> its hashed copy. */
  assets: Record<string, string>;
}

export function manifestPath(root = projectRoot): string {
  return join(root, pagesConfig.buildDir, "manifest.json");
}

/** The current manifest, or null when nothing was built yet. */
export function readManifest(root = projectRoot): BuildManifest | null {
  try {
    return JSON.parse(Deno.readTextFileSync(manifestPath(root))) as BuildManifest;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** URLs for pages, resolved against one manifest. */
export class Assets {
  constructor(readonly manifest: BuildManifest | null) {}

  /** URL of a file from static/ ("styles.css"): the hashed copy when built, else the source. */
  url(name: string): string {
    const hashed = this.manifest?.assets[name];
    return hashed ? `${pagesConfig.assetPrefix}/${hashed}` : `/static/${name}`;
  }

  /** Whether the browser part of islands is available. */
  get hasIslands(): boolean {
    return this.manifest !== null;
  }

  /** Build-relative file of the boot runtime and of each named island. */
  entries(islandNames: Iterable<string>): { boot: string; islands: Map<string, string> } {
    const manifest = this.#required();
    const islands = new Map<string, string>();
    for (const name of islandNames) {
      const file = manifest.islands[name];
      if (!file) throw new Error(`Island ${name} is not in the build: run deno task build.`);
      islands.set(name, file);
    }
    return { boot: manifest.boot, islands };
  }

  /** Every file the given entries load at once, entries first, each once. */
  preloads(entries: string[]): string[] {
    return this.#walk(entries, false);
  }

  /** Every file the given entries may ever load, including lazy chunks (for weighing pages). */
  reachable(entries: string[]): string[] {
    return this.#walk(entries, true);
  }

  /** The entries and what they import, each once, entries first; lazy imports when asked. */
  #walk(entries: string[], lazyToo: boolean): string[] {
    const manifest = this.#required();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imported of manifest.imports[file] ?? []) visit(imported);
      if (lazyToo) { for (const imported of manifest.dynamicImports[file] ?? []) visit(imported); }
    };
    entries.forEach(visit);
    return [...seen];
  }

  href(file: string): string {
    return `${pagesConfig.assetPrefix}/${file}`;
  }

  #required(): BuildManifest {
    if (!this.manifest) throw new Error("Client assets are not built: run deno task build.");
    return this.manifest;
  }
}
