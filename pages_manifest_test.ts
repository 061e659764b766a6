import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { pagesConfig, projectRoot } from "./framework/config.ts";
import { pages } from "./pages_manifest.ts";

async function files(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) found.push(...await files(path));
    else if (/\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) found.push(path);
  }
  return found;
}

Deno.test("[pages] the manifest lists every route and island file", async () => {
  const routesDir = join(projectRoot, pagesConfig.routesDir);
  const routeFiles = (await files(routesDir)).map((path) => relative(routesDir, path))
    .filter((file) => !file.startsWith("_")).sort();
  assert.deepEqual(Object.keys(pages.routes).sort(), routeFiles);
  const islandFiles = (await files(join(projectRoot, pagesConfig.islandsDir)))
    .map((path) => path.slice(path.lastIndexOf("/") + 1, -".tsx".length)).sort();
  assert.deepEqual(Object.keys(pages.islands).sort(), islandFiles);
});
