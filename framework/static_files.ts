/**
 * Files for the browser: the build output under /build (content-hashed, so cached for a year and
 * never revalidated) and, before any build, the raw static/ folder under /static (revalidated).
 */
import { Hono } from "hono";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { pagesConfig, projectRoot } from "./config.ts";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

const IMMUTABLE = "public, max-age=31536000, immutable";
const SAFE_PATH = /^(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_.-]+$/;

async function readStatic(dir: string, path: string): Promise<Uint8Array | null> {
  if (!SAFE_PATH.test(path) || path.split("/").some((part) => part.startsWith("."))) return null;
  try {
    return await Deno.readFile(join(dir, path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.IsADirectory) {
      return null;
    }
    throw error;
  }
}

export function staticFiles(root = projectRoot): Hono {
  const buildDir = join(root, pagesConfig.buildDir);
  const staticDir = join(root, pagesConfig.staticDir);
  // Hashed files never change, so each is read from disk and compressed once.
  const cache = new Map<string, { raw: Uint8Array; gzip: Uint8Array | null }>();
  const COMPRESSIBLE = new Set([".js", ".css", ".svg", ".json", ".txt"]);

  const respond = (body: Uint8Array, path: string, cacheControl: string) =>
    new Response(body as Uint8Array<ArrayBuffer>, {
      headers: {
        "Content-Type": TYPES[extname(path)] ?? "application/octet-stream",
        "Cache-Control": cacheControl,
      },
    });

  return new Hono()
    .get(`${pagesConfig.assetPrefix}/*`, async (c) => {
      const path = c.req.path.slice(pagesConfig.assetPrefix.length + 1);
      if (path === "manifest.json") return c.notFound();
      let entry = cache.get(path);
      if (!entry) {
        const raw = await readStatic(buildDir, path);
        if (!raw) return c.text("Not found.", 404);
        entry = { raw, gzip: COMPRESSIBLE.has(extname(path)) ? gzipSync(raw) : null };
        cache.set(path, entry);
      }
      const gzip = entry.gzip && /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
      const response = respond(gzip ? entry.gzip! : entry.raw, path, IMMUTABLE);
      if (entry.gzip) response.headers.set("Vary", "Accept-Encoding");
      if (gzip) response.headers.set("Content-Encoding", "gzip");
      return response;
    })
    .get("/static/*", async (c) => {
      const path = c.req.path.slice("/static/".length);
      if (path.startsWith("build/")) return c.text("Not found.", 404);
      const body = await readStatic(staticDir, path);
      return body ? respond(body, path, "no-cache") : c.text("Not found.", 404);
    });
}
