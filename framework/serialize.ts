/**
 * Island props -> JSON text that the browser turns back into the same values
 * (see deserialize.ts for the reading side).
 *
 * Plain JSON loses dates, signals, `undefined`, maps and more, so such values travel as one-key
 * objects whose key is a tag starting with `$`:
 *
 *   {"$d":"2026-01-01T00:00:00.000Z"}  Date          {"$s": <value>}      signal
 *   {"$u":0}                          undefined     {"$n":"NaN"}         NaN, ±Infinity, -0
 *   {"$b":"12"}                       bigint        {"$m":[[k,v],…]}     Map
 *   {"$e":[…]}                        Set           {"$x":"base64"}      Uint8Array
 *   {"$o":{…}}                        a plain object that has a key starting with `$` itself
 *
 * Functions, JSX, class instances and cycles cannot cross and throw an error naming the prop.
 */

/** A prop that cannot be sent to the browser; the message names where it sits. */
export class SerializeError extends Error {
  constructor(path: string, problem: string) {
    super(`Island prop ${path} ${problem}`);
    this.name = "SerializeError";
  }
}

interface SignalLike {
  peek(): unknown;
  value: unknown;
}

/** Signals are recognised by shape, as preact-render-to-string does, so any copy of the library counts. */
function isSignal(value: object): value is SignalLike {
  return typeof (value as { peek?: unknown }).peek === "function" && "value" in value;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function encode(value: unknown, path: string, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Object.is(value, -0)) return { $n: "-0" };
      return Number.isFinite(value) ? value : { $n: String(value) };
    case "undefined":
      return { $u: 0 };
    case "bigint":
      return { $b: value.toString() };
    case "function":
      throw new SerializeError(path, "is a function: islands get data, not code.");
    case "symbol":
      throw new SerializeError(path, "is a symbol, which has no serialized form.");
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) throw new SerializeError(path, "refers back to itself (a cycle).");
  ancestors.add(object);
  try {
    return encodeObject(object, path, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

function encodeObject(object: object, path: string, ancestors: Set<object>): unknown {
  if (isSignal(object)) return { $s: encode(object.peek(), `${path}.value`, ancestors) };
  if (object instanceof Date) {
    return { $d: Number.isNaN(object.getTime()) ? null : object.toISOString() };
  }
  if (Array.isArray(object)) {
    // Array.from visits holes as undefined, which map() would skip.
    return Array.from(object, (item, index) => encode(item, `${path}[${index}]`, ancestors));
  }
  if (object instanceof Map) {
    return {
      $m: Array.from(object, ([key, item], index) => [
        encode(key, `${path}<key ${index}>`, ancestors),
        encode(item, `${path}<value ${index}>`, ancestors),
      ]),
    };
  }
  if (object instanceof Set) {
    return {
      $e: Array.from(object, (item, index) => encode(item, `${path}<${index}>`, ancestors)),
    };
  }
  if (object instanceof Uint8Array) return { $x: toBase64(object) };
  if ("$$typeof" in object || ("type" in object && "props" in object && "__k" in object)) {
    throw new SerializeError(path, "is JSX: pass islands data and let them render it.");
  }
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (prototype?.constructor?.name as string | undefined) ?? "unknown";
    throw new SerializeError(path, `is a ${name} instance; send plain objects instead.`);
  }
  const out: Record<string, unknown> = {};
  let escaped = false;
  for (const [key, item] of Object.entries(object)) {
    // The reader would turn such a key into a prototype; no prop needs one.
    if (key === "__proto__") throw new SerializeError(`${path}.__proto__`, "is not allowed.");
    if (key.startsWith("$")) escaped = true;
    out[key] = encode(item, `${path}.${key}`, ancestors);
  }
  return escaped ? { $o: out } : out;
}

/** Serializes `value` to JSON text; throws {@link SerializeError} for what cannot cross. */
export function serialize(value: unknown, path = "props"): string {
  return JSON.stringify(encode(value, path, new Set()));
}

/**
 * JSON made safe to sit inside `<script type="application/json">`: no `</script>` or `<!--`
 * can appear, because every `<` becomes `\u003c` (which JSON reads back as `<`).
 */
export function escapeForScript(json: string): string {
  return json.replaceAll("<", "\\u003c").replaceAll("\u2028", "\\u2028").replaceAll(
    "\u2029",
    "\\u2029",
  );
}
