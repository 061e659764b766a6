/** What every section returns, and the plain-text tables main.ts prints. */

/** One measured subject: a rate with its latency and the CPU share the server used. */
export interface Row {
  section: string;
  subject: string;
  value: number;
  unit: string;
  p50?: number;
  p99?: number;
  max?: number;
  /** CPU share of the process under test (1.0 = one core), when known. */
  serverCpu?: number;
  /** CPU share of the load client, when known. */
  clientCpu?: number;
  /** CPU share every other process on the machine used meanwhile: high means noisy numbers. */
  otherCpu?: number;
  errors?: number;
  note?: string;
}

/** A target from the issue, judged against numbers measured in this run. */
export interface Check {
  name: string;
  value: number;
  /** e.g. ">= 0.4" or "<= 24 KB" */
  target: string;
  met: boolean;
  detail?: string;
}

export interface SectionResult {
  rows: Row[];
  checks: Check[];
  notes: string[];
  /** Anything else worth keeping in latest.json. */
  details?: unknown;
}

export function emptySection(): SectionResult {
  return { rows: [], checks: [], notes: [] };
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);

const share = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? "-" : `${Math.round(value * 100)}%`;

function rate(value: number): string {
  if (Number.isNaN(value)) return "-";
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(value >= 10 ? 1 : 2);
}

function table(header: string[], body: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))
      .join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

export function formatRows(rows: Row[]): string {
  return table(
    [
      "section",
      "subject",
      "value",
      "unit",
      "p50 ms",
      "p99 ms",
      "max ms",
      "srv cpu",
      "cli cpu",
      "other",
      "err",
    ],
    rows.map((r) => [
      r.section,
      r.subject,
      rate(r.value),
      r.unit,
      fixed(r.p50, 2),
      fixed(r.p99, 2),
      fixed(r.max, 2),
      share(r.serverCpu),
      share(r.clientCpu),
      share(r.otherCpu),
      r.errors === undefined ? "-" : String(r.errors),
    ]),
    new Set([2, 4, 5, 6, 7, 8, 9, 10]),
  );
}

export function formatChecks(checks: Check[]): string {
  return table(
    ["target", "measured", "wanted", "result"],
    checks.map((c) => [
      c.name,
      Math.abs(c.value) >= 100 ? Math.round(c.value).toString() : c.value.toFixed(2),
      c.target,
      (c.met ? "met" : "MISSED") + (c.detail ? ` (${c.detail})` : ""),
    ]),
    new Set([1]),
  );
}
