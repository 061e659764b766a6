/**
 * Reads what serialize.ts wrote: JSON where one-key objects tagged `$…` stand for
 * dates, signals, undefined, special numbers, bigints, maps, sets and byte arrays.
 *
 * Kept small because it ships on every page with an island. Signals are made with the factory
 * the caller passes, so pages whose props hold no signal do not load the signals library.
 */
export type SignalFactory = (value: unknown) => unknown;

function decode(value: unknown, signal: SignalFactory | undefined): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => decode(item, signal));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0][0] === "$") {
    const inner = record[keys[0]];
    switch (keys[0]) {
      case "$u":
        return undefined;
      case "$n":
        return inner === "-0" ? -0 : Number(inner);
      case "$b":
        return BigInt(inner as string);
      case "$d":
        return new Date(inner === null ? NaN : inner as string);
      case "$s":
        return signal!(decode(inner, signal));
      case "$m":
        return new Map(
          (inner as unknown[][]).map(([k, v]) => [decode(k, signal), decode(v, signal)]),
        );
      case "$e":
        return new Set((inner as unknown[]).map((item) => decode(item, signal)));
      case "$x":
        return Uint8Array.from(atob(inner as string), (char) => char.charCodeAt(0));
      case "$o":
        return entries(inner as Record<string, unknown>, signal);
    }
  }
  return entries(record, signal);
}

function entries(record: Record<string, unknown>, signal: SignalFactory | undefined) {
  const out: Record<string, unknown> = {};
  // A "__proto__" key would set the prototype instead; props never need one.
  for (const key in record) if (key !== "__proto__") out[key] = decode(record[key], signal);
  return out;
}

/** Parses serialized props; `signal` turns `$s` values back into signals. */
export function deserialize(text: string, signal?: SignalFactory): unknown {
  return decode(JSON.parse(text), signal);
}

/** Whether serialized text holds a signal, so the caller can load the library only then. */
export function hasSignals(text: string): boolean {
  return text.includes('{"$s":');
}
