/**
 * Keeps `deno task bench` from rotting: its smoke mode runs the HTTP and page scenarios tiny and
 * must finish with a table. (The relay scenario needs Node's `ws` from npm; `deno task bench
 * --smoke` runs it too. The cluster section needs PostgreSQL and notes a skip without it.) Figures are not asserted: timing belongs to the bench, not to tests.
 */
import assert from "node:assert/strict";

Deno.test("[bench] smoke mode runs mint, status, cluster, pages and crypto and prints the table", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "bench/main.ts",
      "--smoke",
      "--only=mint,status,cluster,pages,crypto",
    ],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr).slice(-2000));
  assert.match(text, /ChatOrbit benchmarks \(smoke/);
  assert.match(text, /POST \/api\/tokens/);
  assert.match(text, /status: endpoint \/ hello server/);
  assert.match(text, /room/i);
  assert.match(text, /fallback_chunk_gzip_bytes/);
  // Two instances on PostgreSQL, or a note saying why not (no PostgreSQL on this machine).
  assert.match(text, /seats on two instances|cluster: skipped/);
});
