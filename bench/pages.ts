/**
 * Page weight and render time: the gzip size of the JavaScript each page loads at once (the
 * modulepreload set it announces) and of everything it may load later (lazy chunks), and the
 * median server-render time of each page over an in-memory app.
 *
 * Standalone: `deno run --allow-all bench/pages.ts`.
 */
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { pagesConfig, projectRoot } from "../framework/config.ts";
import { createApp } from "../server/app.ts";
import { ManualClock } from "../server/clock.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/database.ts";
import { Assets, readManifest } from "../framework/assets.ts";
import { ensureBuilt } from "../framework/build.ts";

const RENDERS = 200;

function gzipSize(file: string): number {
  return gzipSync(Deno.readFileSync(join(projectRoot, pagesConfig.buildDir, file))).byteLength;
}

/** Build-relative files a response announces with `Link: rel=modulepreload`. */
function preloadedFiles(response: Response): string[] {
  const prefix = `${pagesConfig.assetPrefix}/`;
  return [...(response.headers.get("link") ?? "").matchAll(/<([^>]+)>; rel=modulepreload/g)]
    .map((match) => match[1].slice(prefix.length));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A page's JavaScript: the files it loads at once and everything it may load later. */
export interface PageWeight {
  initialFiles: string[];
  initialGzipBytes: number;
  /** The initial files and every chunk they may import on demand. */
  reachableFiles: string[];
  withLazyGzipBytes: number;
}

type RenderedPages = { app: ReturnType<typeof createApp>["app"]; paths: Record<string, string> };

/** Builds if needed, and serves the landing page and a fresh room from an in-memory app. */
async function withPages<T>(use: (pages: RenderedPages) => Promise<T>): Promise<T> {
  await ensureBuilt();
  const database = await openDatabase(":memory:");
  const config = loadConfig({ CHAT_DATABASE_URL: "sqlite::memory:", CHAT_HOST: "127.0.0.1" });
  const { app, deps } = createApp(config, database.db, new ManualClock(Date.now()));
  try {
    const minted = await app.request("/api/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 30 }),
    });
    const { token } = await minted.json() as { token: string };
    return await use({ app, paths: { landing: "/", room: `/session/${token}` } });
  } finally {
    deps.hub.shutdown();
    await database.close();
  }
}

async function weigh(pages: RenderedPages, assets: Assets): Promise<Record<string, PageWeight>> {
  const weights: Record<string, PageWeight> = {};
  for (const [name, path] of Object.entries(pages.paths)) {
    const response = await pages.app.request(path);
    await response.text();
    const initialFiles = preloadedFiles(response);
    const reachableFiles = assets.reachable(initialFiles);
    weights[name] = {
      initialFiles,
      initialGzipBytes: initialFiles.reduce((sum, file) => sum + gzipSize(file), 0),
      reachableFiles,
      withLazyGzipBytes: reachableFiles.reduce((sum, file) => sum + gzipSize(file), 0),
    };
  }
  return weights;
}

/** The JavaScript weight of the landing page and the room (what the budget test checks). */
export function pageWeights(): Promise<Record<string, PageWeight>> {
  return withPages((pages) => weigh(pages, new Assets(readManifest())));
}

export function pagesBench(): Promise<Record<string, number>> {
  return withPages(async (pages) => {
    const weights = await weigh(pages, new Assets(readManifest()));
    const results: Record<string, number> = {};
    for (const [name, path] of Object.entries(pages.paths)) {
      results[`${name}_js_gzip_bytes`] = weights[name].initialGzipBytes;
      results[`${name}_js_gzip_bytes_with_lazy`] = weights[name].withLazyGzipBytes;
      const times: number[] = [];
      for (let i = 0; i < RENDERS; i++) {
        const started = performance.now();
        const response = await pages.app.request(path);
        await response.text();
        times.push(performance.now() - started);
      }
      results[`${name}_render_ms_median`] = Number(median(times).toFixed(3));
    }
    return results;
  });
}

if (import.meta.main) {
  const results = await pagesBench();
  for (const [name, value] of Object.entries(results)) console.log(`${name}: ${value}`);
}
