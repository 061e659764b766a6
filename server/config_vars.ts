/** The parsing helpers of configuration variables (config.ts reads them, one line each). */
import { z } from "zod";

export type Env = Record<string, string | undefined>;

/** A value as an error may show it: passwords in URLs and ICE credentials are masked. */
function redact(value: string): string {
  return value.replace(/\/\/[^/@\s]*@/g, "//***@")
    .replace(/("credential"\s*:\s*)"(?:[^"\\]|\\.)*"/g, '$1"***"');
}

export class ConfigError extends Error {
  constructor(variable: string, accepts: string, value: string) {
    super(`${variable}=${JSON.stringify(redact(value))} is invalid: expected ${accepts}.`);
    this.name = "ConfigError";
  }
}

export function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw.trim());
  if (!parsed.success) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return parsed.data;
}

export function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off"].includes(value)) return false;
  throw new ConfigError(name, "true/false, 1/0, yes/no or on/off", raw);
}

/** JSON list, comma-separated list, or a single value (the original's three accepted forms). */
export function parseList(raw: string): string[] | null {
  const trimmed = raw.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed = z.array(z.string()).safeParse(JSON.parse(trimmed));
      return parsed.success ? parsed.data.map((s) => s.trim()).filter(Boolean) : null;
    } catch {
      return null;
    }
  }
  return trimmed.split(",").map((s) => s.trim()).filter(Boolean);
}
