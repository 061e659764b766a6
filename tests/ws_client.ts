/**
 * A WebSocket test client over Deno's built-in `WebSocket`: frames queue up until a test asks for
 * them, every wait has a generous timeout, and the close code is kept for assertions.
 */
import assert from "node:assert/strict";

// Frames are JSON objects whose fields tests inspect freely.
// deno-lint-ignore no-explicit-any
export type Frame = Record<string, any>;

const WAIT_MS = 10_000;

export interface Closed {
  code: number;
  reason: string;
}

export class TestSocket {
  readonly #socket: WebSocket;
  readonly #frames: Frame[] = [];
  #waiters: (() => void)[] = [];
  #closed: Closed | null = null;
  readonly #whenClosed: Promise<Closed>;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    const { promise, resolve } = Promise.withResolvers<Closed>();
    this.#whenClosed = promise;
    socket.onmessage = (event) => {
      const text = typeof event.data === "string" ? event.data : "";
      this.#frames.push(JSON.parse(text));
      this.#wake();
    };
    socket.onclose = (event) => {
      this.#closed = { code: event.code, reason: event.reason };
      resolve(this.#closed);
      this.#wake();
    };
    socket.onerror = () => {};
  }

  /** Opens a socket to `url` and waits until it is open. */
  static async open(url: string): Promise<TestSocket> {
    const socket = new WebSocket(url);
    const client = new TestSocket(socket);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.onopen = () => resolve();
        client.#whenClosed.then((closed) =>
          reject(new Error(`socket closed before opening: ${closed.code}`))
        );
      }),
      `open ${url}`,
    );
    return client;
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Sends an object as JSON, or a string or bytes as they are. */
  send(frame: unknown): void {
    if (typeof frame === "string" || frame instanceof Uint8Array) {
      this.#socket.send(frame as string);
    } else {
      this.#socket.send(JSON.stringify(frame));
    }
  }

  /** The next frame, failing when the socket closes first or nothing comes in time. */
  async next(label = "next frame", timeoutMs = WAIT_MS): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (this.#frames.length === 0) {
      if (this.#closed) {
        throw new Error(`${label}: socket closed (${this.#closed.code} ${this.#closed.reason})`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${label}: nothing within ${timeoutMs} ms`);
      await withTimeout(
        new Promise<void>((resolve) => this.#waiters.push(resolve)),
        label,
        left,
      );
    }
    return this.#frames.shift()!;
  }

  /** Skips frames until one of `type` arrives (and matches `where`, if given). */
  async nextOfType(type: string, where: (frame: Frame) => boolean = () => true): Promise<Frame> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const frame = await this.next(`frame of type ${type}`, Math.max(1, deadline - Date.now()));
      if (frame.type === type && where(frame)) return frame;
    }
  }

  /** Frames received and not yet taken. */
  get pending(): readonly Frame[] {
    return this.#frames;
  }

  /** Takes every frame that has arrived so far. */
  drain(): Frame[] {
    return this.#frames.splice(0);
  }

  /** Waits for the server to close the socket and returns the close code and reason. */
  closed(timeoutMs = WAIT_MS): Promise<Closed> {
    return withTimeout(this.#whenClosed, "close", timeoutMs);
  }

  get isClosed(): boolean {
    return this.#closed !== null;
  }

  /** Closes from the client side and waits until the close completes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.close(1000);
    await this.closed();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close().catch(() => {});
  }
}

async function withTimeout<T>(promise: Promise<T>, label: string, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The socket URL of a session on a server at `baseUrl` (http://host:port). */
export function socketUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/^http/, "ws")}/ws/sessions/${token}`;
}

/**
 * Opens a socket and authenticates it; returns it with its first status frame taken, and the
 * `turn` frame that comes before it when the server has CHAT_TURN_* (else null).
 */
export async function authed(
  baseUrl: string,
  token: string,
  participantId: string,
): Promise<{ socket: TestSocket; status: Frame; turn: Frame | null }> {
  const socket = await TestSocket.open(socketUrl(baseUrl, token));
  socket.send({ type: "auth", participant_id: participantId });
  let status = await socket.next("status after auth");
  let turn: Frame | null = null;
  if (status.type === "turn") {
    turn = status;
    status = await socket.next("status after turn");
  }
  assert.equal(status.type, "status", JSON.stringify(status));
  return { socket, status, turn };
}

/** Waits for the socket to be closed by the server with `code`. */
export async function expectClose(socket: TestSocket, code: number): Promise<Closed> {
  const closed = await socket.closed();
  assert.equal(closed.code, code, `closed with ${closed.code} ${closed.reason}`);
  return closed;
}

export interface Seats {
  token: string;
  host: string;
  guest: string;
}

async function post(baseUrl: string, path: string, body: unknown): Promise<Frame> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  assert.ok(response.ok, `${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Mints a token on a live server. */
export async function mintLive(
  baseUrl: string,
  body: Record<string, unknown> = { validity_period: "1_day", session_ttl_minutes: 30 },
): Promise<string> {
  return (await post(baseUrl, "/api/tokens", body)).token;
}

/** Joins a live session over HTTP; returns the join response. */
export function joinLive(baseUrl: string, body: Record<string, unknown>): Promise<Frame> {
  return post(baseUrl, "/api/sessions/join", body);
}

/** Mints a token and takes both seats (the session is active afterwards). */
export async function activeSession(
  baseUrl: string,
  mintBody?: Record<string, unknown>,
): Promise<Seats> {
  const token = await mintLive(baseUrl, mintBody);
  const host = (await joinLive(baseUrl, { token })).participant_id;
  const guest = (await joinLive(baseUrl, { token })).participant_id;
  return { token, host, guest };
}
