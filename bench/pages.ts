/**
 * Page weight and render time: the gzip size of the JavaScript each page loads at once (the
 * modulepreload set it announces) and of everything it may load later (lazy chunks), and the
 * median server-render time of each page over an in-memory app.
 *
 * Standalone: `deno run --allow-all bench/pages.ts`.
 */
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { pagesConfig, projectRoot } from "../fresh.config.ts";
import { createApp } from "../server/app.ts";
import { ManualClock } from "../server/clock.ts";
import { loadConfig } from "../server/config.ts";
import { openDatabase } from "../server/db/database.ts";
import { Assets, readManifest } from "../server/pages/assets.ts";
import { ensureBuilt } from "../server/pages/build.ts";

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

export async function pagesBench(): Promise<Record<string, number>> {
  await ensureBuilt();
  const assets = new Assets(readManifest());
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
    const pages = { landing: "/", room: `/session/${token}` };
    const results: Record<string, number> = {};
    for (const [name, path] of Object.entries(pages)) {
      const first = await app.request(path);
      await first.text();
      const initial = preloadedFiles(first);
      results[`${name}_js_gzip_bytes`] = initial.reduce((sum, file) => sum + gzipSize(file), 0);
      results[`${name}_js_gzip_bytes_with_lazy`] = assets.reachable(initial)
        .reduce((sum, file) => sum + gzipSize(file), 0);
      const times: number[] = [];
      for (let i = 0; i < RENDERS; i++) {
        const started = performance.now();
        const response = await app.request(path);
        await response.text();
        times.push(performance.now() - started);
      }
      results[`${name}_render_ms_median`] = Number(median(times).toFixed(3));
    }
    return results;
  } finally {
    deps.hub.shutdown();
    await database.close();
  }
}

if (import.meta.main) {
  const results = await pagesBench();
  for (const [name, value] of Object.entries(results)) console.log(`${name}: ${value}`);
}
