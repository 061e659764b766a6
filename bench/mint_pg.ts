/**
 * Mint throughput on PostgreSQL (issue 11): the same POST /api/tokens load as bench/mint.ts, on a
 * server whose store is a fresh PostgreSQL schema, judged against the SQLite endpoint of the same
 * run. Without PostgreSQL, a note says why it was skipped.
 */
import { systemClock } from "../server/clock.ts";
import { loadConfig } from "../server/config.ts";
import { openPostgres } from "../server/db/postgres.ts";
import { serve } from "../server/serve.ts";
import { httpLoad, type HttpLoadResult } from "./http_load.ts";
import { withBenchSchema } from "./pg_schema.ts";
import { measureServerInProcess } from "./proc.ts";
import type { SectionResult } from "./report.ts";
import { type MintOptions, mintRow } from "./mint.ts";

export async function mintOnPostgres(
  options: MintOptions,
  body: string,
  sqlitePerSecond: number,
  section: SectionResult,
): Promise<void> {
  const outcome = await withBenchSchema(async (target) => {
    const config = loadConfig({
      CHAT_DATABASE_URL: target.url,
      CHAT_HOST: "127.0.0.1",
      PORT: "0",
      CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "1000000",
      CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: "100000000",
      CHAT_TRUST_PROXY: "true",
    });
    const server = await serve(config, await openPostgres(target), systemClock, {
      quiet: true,
      handleSignals: false,
    });
    try {
      const load = (seconds: number) =>
        httpLoad({
          url: `${server.url}/api/tokens`,
          method: "POST",
          body,
          contentType: "application/json",
          connections: options.connections,
          seconds,
          forwardedAddresses: options.clients,
        });
      if (options.warmupSeconds > 0) await load(options.warmupSeconds);
      const rounds = [];
      for (let round = 0; round < options.rounds; round++) {
        rounds.push(await measureServerInProcess(() => load(options.seconds)));
      }
      return rounds;
    } finally {
      await server.shutdown();
    }
  });
  if (typeof outcome === "string") {
    section.notes.push(`mint: PostgreSQL skipped, ${outcome}`);
    return;
  }
  const result = outcome.reduce((a, b) => b.perSecond > a.perSecond ? b : a);
  const errors = outcome.reduce((sum, round) => sum + round.errors, 0);
  section.rows.push(
    mintRow(
      `POST /api/tokens on PostgreSQL (${result.client}, ${options.connections} conns)`,
      result,
      errors,
    ),
  );
  const cpuMicros = (r: HttpLoadResult & { serverCpu: number }) =>
    (r.serverCpu / r.perSecond) * 1e6;
  section.notes.push(
    `mint: PostgreSQL / SQLite endpoint ${(result.perSecond / sqlitePerSecond).toFixed(2)}x ` +
      `mints/s; app CPU per mint on PostgreSQL ${cpuMicros(result).toFixed(0)} µs (the database ` +
      `server's own CPU counts as "other").`,
  );
  (section.details as Record<string, unknown>).postgres = outcome;
}
