/**
 * The crypto fallback's cost: the gzip size of what a page without Web Crypto fetches on demand
 * (the noble chunk and its imports, beyond the room's initial JavaScript; P-256 separately, since
 * it is fetched only for a peer without X25519), and the time of one whole key exchange (both
 * sides of the handshake, in one process) with noble against Web Crypto, median of several runs.
 *
 * Standalone: `deno run --allow-all bench/crypto.ts [--smoke]`.
 */
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { pagesConfig, projectRoot } from "../framework/config.ts";
import { noblePrimitives } from "../client/crypto/noble_primitives.ts";
import {
  type Primitives,
  usePrimitives,
  webCryptoPrimitives,
} from "../client/crypto/primitives.ts";
import { connectedPair } from "../client/crypto/testing.ts";
import { Assets, readManifest } from "../framework/assets.ts";
import { ensureBuilt } from "../framework/build.ts";

const gzipSize = (file: string) =>
  gzipSync(Deno.readFileSync(join(projectRoot, pagesConfig.buildDir, file))).byteLength;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Gzip bytes of `entry` and its static imports that the room has not loaded already. */
function onDemandBytes(assets: Assets, entry: string, alreadyLoaded: Set<string>): number {
  return assets.preloads([entry]).filter((file) => !alreadyLoaded.has(file))
    .reduce((sum, file) => sum + gzipSize(file), 0);
}

async function keyExchangeMs(primitives: Primitives, runs: number): Promise<number> {
  usePrimitives(primitives);
  const times: number[] = [];
  try {
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now();
      await connectedPair();
      if (i > 0) times.push(performance.now() - started); // the first run warms up
    }
  } finally {
    usePrimitives(webCryptoPrimitives);
  }
  return Number(median(times).toFixed(3));
}

export async function cryptoBench(options: { smoke?: boolean } = {}) {
  await ensureBuilt();
  const manifest = readManifest()!;
  const assets = new Assets(manifest);
  const room = new Set(assets.preloads([manifest.boot, manifest.islands.Room]));
  const find = (pattern: RegExp) => Object.keys(manifest.imports).find((f) => pattern.test(f));
  const noble = find(/^noble_primitives-/);
  const nist = find(/^nist-/);
  if (!noble || !nist) throw new Error("The fallback chunks are missing from the build");
  const withNoble = new Set([...room, ...assets.preloads([noble])]);
  const runs = options.smoke ? 3 : 25;
  return {
    fallback_chunk_gzip_bytes: onDemandBytes(assets, noble, room),
    fallback_p256_extra_gzip_bytes: onDemandBytes(assets, nist, withNoble),
    fallback_in_room_initial: room.has(noble) ? 1 : 0,
    key_exchange_ms_median_webcrypto: await keyExchangeMs(webCryptoPrimitives, runs),
    key_exchange_ms_median_noble: await keyExchangeMs(noblePrimitives, runs),
  };
}

if (import.meta.main) {
  const results = await cryptoBench({ smoke: Deno.args.includes("--smoke") });
  for (const [name, value] of Object.entries(results)) console.log(`${name}: ${value}`);
}
