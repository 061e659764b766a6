/**
 * One client TCP connection through the front: its request head must arrive in time and within
 * size, then its bytes are piped to the app's internal server both ways, under idle and lifetime
 * deadlines. On a WebSocket, frame headers from the client are read as they pass (FrameScanner).
 */
import { WRITES_RESPONSE_DEFAULTS } from "../http/response_defaults.ts";
import type { ConnectionControl } from "./control.ts";
import { FrameScanner } from "./frame_scanner.ts";
import { type Head, type InlinePort, type InlineServing, serveInline } from "./inline_http.ts";
import type { FrontLimits } from "./limits.ts";

/** Read size per direction; it is held while a read waits, so it is kept small. */
const CHUNK_BYTES = 8 * 1024;
const HEAD_END = new Uint8Array([13, 10, 13, 10]);
const TOO_LARGE = new TextEncoder().encode(
  "HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
);
const UPGRADE_WEBSOCKET = /\r\nupgrade:[ \t]*websocket[ \t]*\r\n/i;
/** "HTTP/1.1 101": the app switched protocols. */
const SWITCHING = [72, 84, 84, 80, 47, 49, 46, 49, 32, 49, 48, 49];

export type Mode = "head" | "http" | "socket";

export class FrontConnection implements ConnectionControl, InlinePort {
  mode: Mode = "head";
  lastActivity: number;
  /** When the connection is cut whatever happens (head, HTTP lifetime, a cut asked for). */
  deadline: number;
  upstream: Deno.TcpConn | null = null;
  /** File descriptors this connection holds (see FdBudget). */
  heldFds = 1;
  #ended = false;
  #headBuffer: Uint8Array | null = null;
  #refused = 0;
  #refusedListener: ((code: number) => void) | null = null;
  #scanner: FrameScanner | null = null;
  /** Whether the app has begun its answer to the upgrade request. */
  #answered = false;
  #prompt = false;

  /**
   * What the app sees of this connection when the front answers a request itself (its answers
   * get the response defaults from response_bytes.ts, so the app leaves them out).
   */
  readonly info: Deno.ServeHandlerInfo & {
    control: ConnectionControl;
    [WRITES_RESPONSE_DEFAULTS]: true;
  };

  constructor(
    readonly conn: Deno.Conn,
    private readonly limits: FrontLimits,
    /** The app's handler when the front answers plain requests itself (inline_http.ts). */
    private readonly inline: InlineServing | null,
    private readonly connectUpstream: (connection: FrontConnection) => Promise<Deno.TcpConn>,
    private readonly onEnd: (connection: FrontConnection) => void,
  ) {
    this.lastActivity = Date.now();
    this.deadline = this.lastActivity + limits.headerTimeoutMs;
    this.info = {
      remoteAddr: conn.remoteAddr as Deno.NetAddr,
      completed: Promise.resolve(),
      control: this,
      [WRITES_RESPONSE_DEFAULTS]: true,
    };
  }

  get remoteAddr(): Deno.Addr {
    return this.conn.remoteAddr;
  }

  cutSoon(): void {
    this.deadline = Math.min(this.deadline, Date.now() + this.limits.cutAfterMs);
  }

  onRefusedFrame(listener: (code: number) => void): void {
    this.#refusedListener = listener;
    if (this.#refused !== 0) listener(this.#refused);
  }

  /** Called by the front's sweep: ends the connection past a deadline. */
  check(now: number): void {
    const idle = this.mode === "socket" ? this.limits.socketIdleMs : this.limits.httpIdleMs;
    if (now >= this.deadline || (this.mode !== "head" && now - this.lastActivity >= idle)) {
      this.end();
    }
  }

  async run(): Promise<void> {
    try {
      let head = await this.readHead(new Uint8Array(0));
      if (head === null) return;
      if (this.inline !== null) {
        // An upgrade is outside the plain subset, so it comes straight back for the pipe below.
        this.mode = "http";
        this.deadline = Date.now() + this.limits.httpLifetimeMs;
        head = await serveInline(this, head, this.inline);
        if (head === null) return;
      }
      // Piped traffic (socket frames above all) is many small writes, which Nagle's algorithm
      // would hold for the peer's ACKs; a plain answer is one write, which it does not.
      this.sendPromptly();
      const upstream = this.upstream = await this.connectUpstream(this);
      // Upstream this is the first request, so a socket upgrade is taken here too.
      const headText = new TextDecoder().decode(head.bytes.subarray(0, head.headLength));
      if (UPGRADE_WEBSOCKET.test(headText)) {
        this.mode = "socket";
        // A socket lives as long as it is used (its idle rule); only a cut ends it earlier.
        this.deadline = Infinity;
        this.#scanner = new FrameScanner(this.limits.maxMessageBytes);
        this.#scan(head.bytes.subarray(head.headLength));
      } else if (this.mode === "head") {
        this.mode = "http";
        this.deadline = Date.now() + this.limits.httpLifetimeMs;
      }
      const first = this.#refused === 0 ? head.bytes : head.bytes.subarray(0, head.headLength);
      await writeAll(upstream, first);
      await Promise.all([this.#clientToApp(upstream), this.#appToClient(upstream)]);
    } catch {
      // A reset or a write after the other side went: the connection is over either way.
    } finally {
      this.end();
    }
  }

  /** Closes both sides once; safe to call from anywhere. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      this.conn.close();
    } catch { /* already closed */ }
    try {
      this.upstream?.close();
    } catch { /* already closed */ }
    this.onEnd(this);
  }

  async readHead(leftover: Uint8Array): Promise<Head | null> {
    // One buffer per connection, reused for each request's head (the caller copies what it keeps).
    let buffer = this.#headBuffer ??= new Uint8Array(CHUNK_BYTES);
    if (leftover.length > buffer.length) {
      buffer = this.#headBuffer = new Uint8Array(leftover.length);
    }
    buffer.set(leftover);
    let length = leftover.length;
    if (length > 0) {
      const end = indexOf(buffer.subarray(0, length), HEAD_END, 0);
      if (end >= 0) return { bytes: buffer.subarray(0, length), headLength: end + 4 };
    }
    for (;;) {
      if (length === buffer.length) {
        if (length >= this.limits.maxHeadBytes) {
          await this.conn.write(TOO_LARGE).catch(() => 0);
          return null;
        }
        const grown = new Uint8Array(Math.min(buffer.length * 2, this.limits.maxHeadBytes));
        grown.set(buffer);
        buffer = this.#headBuffer = grown;
      }
      const n = await this.conn.read(buffer.subarray(length));
      if (n === null) return null;
      const searchFrom = Math.max(0, length - 3);
      length += n;
      this.lastActivity = Date.now();
      const end = indexOf(buffer.subarray(0, length), HEAD_END, searchFrom);
      if (end >= 0) return { bytes: buffer.subarray(0, length), headLength: end + 4 };
    }
  }

  async readExactly(have: Uint8Array, length: number): Promise<Uint8Array | null> {
    if (have.length >= length) return have;
    const buffer = new Uint8Array(length);
    buffer.set(have);
    let filled = have.length;
    while (filled < length) {
      const n = await this.conn.read(buffer.subarray(filled));
      if (n === null) return null;
      filled += n;
      this.lastActivity = Date.now();
    }
    return buffer;
  }

  sendPromptly(): void {
    if (this.#prompt) return;
    this.#prompt = true;
    if ("setNoDelay" in this.conn) (this.conn as Deno.TcpConn).setNoDelay(true);
  }

  async write(bytes: Uint8Array): Promise<void> {
    await writeAll(this.conn, bytes);
    this.lastActivity = Date.now();
  }

  #becomeHttp(): void {
    this.mode = "http";
    this.#scanner = null;
    this.deadline = Math.min(this.deadline, Date.now() + this.limits.httpLifetimeMs);
  }

  #scan(bytes: Uint8Array): void {
    if (this.#scanner === null || this.#refused !== 0 || bytes.length === 0) return;
    const code = this.#scanner.scan(bytes);
    if (code === 0) return;
    // Nothing more of this client reaches the app; the app closes the socket with the code.
    this.#refused = code;
    this.cutSoon();
    this.#refusedListener?.(code);
  }

  async #clientToApp(upstream: Deno.TcpConn): Promise<void> {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const n = await this.conn.read(buffer);
      if (n === null) {
        // The client finished sending; the app may still answer.
        await upstream.closeWrite().catch(() => {});
        return;
      }
      this.lastActivity = Date.now();
      const chunk = buffer.subarray(0, n);
      this.#scan(chunk);
      // Past a refused frame nothing more is read: the client's own buffers fill and stall it.
      if (this.#refused !== 0) return;
      await writeAll(upstream, chunk);
    }
  }

  async #appToClient(upstream: Deno.TcpConn): Promise<void> {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const n = await upstream.read(buffer);
      if (n === null) return this.end();
      this.lastActivity = Date.now();
      // An upgrade is only taken as a connection's first request, where the frame scanner sees it.
      if (this.mode === "http" && startsWith(buffer, n, SWITCHING)) return this.end();
      if (this.#scanner !== null && !this.#answered) {
        this.#answered = true;
        // The upgrade was refused (403, 429, 503): what follows is plain HTTP, under its rules.
        if (!startsWith(buffer, n, SWITCHING)) this.#becomeHttp();
      }
      await writeAll(this.conn, buffer.subarray(0, n));
    }
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function startsWith(buffer: Uint8Array, length: number, prefix: number[]): boolean {
  if (length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buffer[i] !== prefix[i]) return false;
  return true;
}
