/** `deno task build`: builds the islands and static assets into static/build. */
import { build } from "./build.ts";

const started = performance.now();
const manifest = await build();
const files = Object.keys(manifest.imports).length + Object.keys(manifest.assets).length;
console.log(`Built ${files} files in ${Math.round(performance.now() - started)} ms.`);
