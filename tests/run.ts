/**
 * `deno task test`: runs the whole suite (unit, API, socket and browser tests) with Deno's test
 * runner and ends with the contract's closing line, `N passed, N failed`.
 *
 * Extra arguments go to `deno test` (e.g. `deno task test --filter "[tokens]"`).
 */
const args = ["test", "--allow-all", "--parallel", ...Deno.args];
const child = new Deno.Command(Deno.execPath(), {
  args,
  stdout: "piped",
  stderr: "inherit",
  env: { DENO_JOBS: "2" },
}).spawn();

let tail = "";
const decoder = new TextDecoder();
for await (const chunk of child.stdout) {
  await Deno.stdout.write(chunk);
  tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4096);
}
const { code } = await child.status;
// Deno prints e.g. "ok | 12 passed (3 steps) | 0 failed (2s)"; strip colours first.
// deno-lint-ignore no-control-regex
const plain = tail.replace(/\x1b\[[0-9;]*m/g, "");
const summaries = [...plain.matchAll(/(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/g)];
const last = summaries.at(-1);
const passed = last ? Number(last[1]) : 0;
const failed = last ? Number(last[2]) : code === 0 ? 0 : 1;
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
