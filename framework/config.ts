/**
 * Page-layer settings: where routes, islands and static files live, where the island build goes
 * and under which URL prefix it is served. Paths are relative to the project root.
 */
export const pagesConfig = {
  routesDir: "routes",
  islandsDir: "islands",
  staticDir: "static",
  /** Output of `deno task build` (git-ignored); every file in it carries a content hash. */
  buildDir: "static/build",
  /** URL prefix of the build output. */
  assetPrefix: "/build",
  /** The browser runtime that finds island markers and hydrates them. */
  bootEntry: "framework/boot.ts",
  /** Sources whose change makes the build stale (besides the folders of islands and static). */
  sourceDirs: ["client", "components", "contract", "framework", "islands"],
  sourceFiles: ["deno.json", "deno.lock"],
} as const;

/** The project root, whatever the working directory. */
export const projectRoot: string = new URL("..", import.meta.url).pathname;
