/**
 * A real server in its own process whose clock a test can move forward, and can kill outright.
 *
 * The clock is the wall clock plus an offset that grows by `advance(ms)` (a line on stdin), so a
 * one-minute session can be brought to its last seconds without waiting and without faking time in
 * the browser: the pages learn the server's time as they always do. Timers the server set before
 * a jump fire late (by the jump); tests that jump end the process before that matters.
 *
 * Run as a program it serves; imported, `spawnClockServer()` starts one.
 */
import type { Clock } from "../../server/clock.ts";
import { systemClock } from "../../server/clock.ts";
import { openDatabase } from "../../server/db/database.ts";
import { serve } from "../../server/serve.ts";
import { testConfig } from "../helpers.ts";

export interface ClockServer {
  url: string;
  /** Moves the server's clock forward by `ms`. */
  advance(ms: number): Promise<void>;
  /** SIGKILL: no close frames, no answers any more, as when a machine dies. */
  kill(): void;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function spawnClockServer(): Promise<ClockServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(import.meta.url).pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error("The clock server exited");
      buffered += value;
    }
    const at = buffered.indexOf("\n");
    const line = buffered.slice(0, at);
    buffered = buffered.slice(at + 1);
    return line;
  };
  const { url } = JSON.parse(await nextLine());
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill("SIGKILL");
  };
  return {
    url,
    async advance(ms) {
      await writer.write(encoder.encode(`advance ${ms}\n`));
      if (await nextLine() !== "ok") throw new Error("The clock server did not move its clock");
    },
    kill,
    async [Symbol.asyncDispose]() {
      kill();
      await writer.close().catch(() => {});
      await lines.cancel().catch(() => {});
      await child.status;
    },
  };
}

if (import.meta.main) {
  let offset = 0;
  const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
  const server = await serve(testConfig(), await openDatabase(":memory:"), clock, {
    quiet: true,
    handleSignals: false,
  });
  console.log(JSON.stringify({ url: server.url }));
  const input = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let pending = "";
  for await (const chunk of input) {
    pending += chunk;
    let at;
    while ((at = pending.indexOf("\n")) >= 0) {
      const [command, amount] = pending.slice(0, at).split(" ");
      pending = pending.slice(at + 1);
      if (command === "advance") offset += Number(amount);
      console.log("ok");
    }
  }
  await server.shutdown();
}
