/**
 * The Request the front hands the app for each request it answers itself (inline_http.ts).
 *
 * Constructing a real Request (its URL record, inner request, header list, each header validated
 * again though request_head.ts has checked them) cost more than the status route's own work. So,
 * as Hono's Node adapter does, the app gets an object that is a Request by prototype and answers
 * `method`, `url` and header reads from what was parsed; the first use of anything else (its
 * signal, body readers, clone...) builds the real Request once and is answered by it.
 */

const REAL = Symbol("real request");
const PAIRS = Symbol("parsed headers");
const BODY = Symbol("body");

/** Request headers as parsed; immutable, like those Deno.serve hands over. */
class ParsedHeaders extends Headers {
  readonly #pairs: readonly [string, string][];
  #filled = false;

  constructor(pairs: readonly [string, string][]) {
    super();
    this.#pairs = pairs;
  }

  override get(name: string): string | null {
    const wanted = name.toLowerCase();
    let value: string | null = null;
    for (const [key, item] of this.#pairs) {
      if (key.length === wanted.length && key.toLowerCase() === wanted) {
        value = value === null ? item : `${value}, ${item}`;
      }
    }
    return value;
  }

  override has(name: string): boolean {
    return this.get(name) !== null;
  }

  override forEach(
    callback: (value: string, key: string, parent: Headers) => void,
    thisArg?: unknown,
  ): void {
    this.#fill();
    super.forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  override entries(): HeadersIterator<[string, string]> {
    this.#fill();
    return super.entries();
  }

  override keys(): HeadersIterator<string> {
    this.#fill();
    return super.keys();
  }

  override values(): HeadersIterator<string> {
    this.#fill();
    return super.values();
  }

  override [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  override getSetCookie(): string[] {
    this.#fill();
    return super.getSetCookie();
  }

  override append(): void {
    throw new TypeError("Headers are immutable.");
  }

  override set(): void {
    throw new TypeError("Headers are immutable.");
  }

  override delete(): void {
    throw new TypeError("Headers are immutable.");
  }

  #fill(): void {
    if (this.#filled) return;
    this.#filled = true;
    for (const [key, value] of this.#pairs) super.append(key, value);
  }
}

class LazyRequest {
  readonly headers: Headers;
  readonly [PAIRS]: readonly [string, string][];
  readonly [BODY]: Uint8Array<ArrayBuffer> | null;
  [REAL]: Request | undefined;

  constructor(
    readonly url: string,
    readonly method: string,
    pairs: readonly [string, string][],
    body: Uint8Array<ArrayBuffer> | null,
  ) {
    this.headers = new ParsedHeaders(pairs);
    this[PAIRS] = pairs;
    this[BODY] = body;
    this[REAL] = undefined;
  }
}

/** The real Request behind `request`, built on first need. */
function real(request: LazyRequest): Request {
  return request[REAL] ??= new Request(request.url, {
    method: request.method,
    headers: request[PAIRS] as [string, string][],
    body: request[BODY],
  });
}

// Everything else a Request has is answered by the real one (methods bound to it, so that its
// internal checks see a real Request).
for (const name of Reflect.ownKeys(Request.prototype)) {
  if (name === "constructor" || name === "url" || name === "method" || name === "headers") {
    continue;
  }
  const descriptor = Reflect.getOwnPropertyDescriptor(Request.prototype, name)!;
  if (typeof descriptor.value === "function") {
    const method = descriptor.value as (...args: unknown[]) => unknown;
    Object.defineProperty(LazyRequest.prototype, name, {
      value(this: LazyRequest, ...args: unknown[]) {
        return method.apply(real(this), args);
      },
      writable: true,
      configurable: true,
    });
  } else if (descriptor.get) {
    const get = descriptor.get;
    Object.defineProperty(LazyRequest.prototype, name, {
      get(this: LazyRequest) {
        return get.call(real(this));
      },
      configurable: true,
    });
  }
}
Object.setPrototypeOf(LazyRequest.prototype, Request.prototype);

/** A request with its headers as request_head.ts parsed them, and its body if it has one. */
export function inlineRequest(
  url: string,
  method: string,
  pairs: readonly [string, string][],
  body: Uint8Array<ArrayBuffer> | null = null,
): Request {
  return new LazyRequest(url, method, pairs, body) as unknown as Request;
}
