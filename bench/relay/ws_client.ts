/**
 * A small RFC 6455 client over `Deno.connect` with TCP_NODELAY. Deno's built-in WebSocket client
 * leaves Nagle's algorithm on and writes a frame's header and payload apart, so every round trip
 * waited ~40 ms for a delayed ACK: that measured the client, not the relay. This one writes each
 * frame in one piece. It masks with a zero key (a valid key; the server still does its unmasking
 * work), answers pings, and reads text frames only, which is all the relays send.
 */

export interface BenchSocket {
  send(text: string): void;
  /** Sends bytes already framed with {@link clientFrame}; the array must not change afterwards. */
  sendFrame(frame: Uint8Array): void;
  close(): void;
}

export interface SocketHandlers {
  /** A text frame's UTF-8 bytes: a view valid only during the call (copy what you keep). */
  message(bytes: Uint8Array): void;
  closed(code: number): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const READ_CHUNK = 4096;

/** Header bytes of a client frame with a payload of `length` bytes. */
export function headerLength(length: number): number {
  return length < 126 ? 6 : length < 65536 ? 8 : 14;
}

/**
 * A client frame (FIN, mask bit with a zero key) with room for `length` payload bytes, written by
 * the caller at offset `headerLength(length)`.
 */
export function clientFrame(opcode: number, length: number): Uint8Array {
  const out = new Uint8Array(headerLength(length) + length);
  out[0] = 0x80 | opcode;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 65536) {
    out[1] = 0x80 | 126;
    out[2] = length >> 8;
    out[3] = length & 0xff;
  } else {
    out[1] = 0x80 | 127;
    new DataView(out.buffer).setBigUint64(2, BigInt(length));
  }
  // The last four header bytes are the masking key, left zero.
  return out;
}

function frame(opcode: number, payload: Uint8Array): Uint8Array {
  const out = clientFrame(opcode, payload.byteLength);
  out.set(payload, headerLength(payload.byteLength));
  return out;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) offset += await conn.write(bytes.subarray(offset));
}

/** Opens `ws://host:port/path`; resolves once the server answered 101. */
export async function openSocket(url: string, handlers: SocketHandlers): Promise<BenchSocket> {
  const { hostname, port, pathname } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  conn.setNoDelay(true);
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  await writeAll(
    conn,
    encoder.encode(
      `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );

  let buffer = new Uint8Array(READ_CHUNK * 2);
  let filled = 0;
  const readMore = async (): Promise<boolean> => {
    if (buffer.byteLength - filled < READ_CHUNK) {
      const grown = new Uint8Array(Math.max(buffer.byteLength * 2, filled + READ_CHUNK));
      grown.set(buffer.subarray(0, filled));
      buffer = grown;
    }
    const n = await conn.read(buffer.subarray(filled, filled + READ_CHUNK)).catch(() => null);
    if (n === null) return false;
    filled += n;
    return true;
  };
  const consume = (count: number) => {
    buffer.copyWithin(0, count, filled);
    filled -= count;
  };

  for (;;) {
    const text = decoder.decode(buffer.subarray(0, filled));
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      if (!/^HTTP\/1\.1 101/.test(text)) {
        conn.close();
        throw new Error(`Upgrade refused: ${text.slice(0, text.indexOf("\r\n"))}`);
      }
      consume(encoder.encode(text.slice(0, end + 4)).byteLength);
      break;
    }
    if (!(await readMore())) throw new Error("Connection closed during the upgrade");
  }

  // Sends are queued so frames never interleave while a write is pending.
  let queue: Uint8Array[] = [];
  let writing = false;
  let open = true;
  const flush = async () => {
    writing = true;
    while (queue.length && open) {
      const batch = queue;
      queue = [];
      const total = batch.reduce((sum, part) => sum + part.byteLength, 0);
      const joined = batch.length === 1 ? batch[0] : new Uint8Array(total);
      if (batch.length > 1) {
        let offset = 0;
        for (const part of batch) {
          joined.set(part, offset);
          offset += part.byteLength;
        }
      }
      await writeAll(conn, joined).catch(() => open = false);
    }
    writing = false;
  };
  const enqueue = (bytes: Uint8Array) => {
    if (!open) return;
    queue.push(bytes);
    if (!writing) flush();
  };

  let fragments: Uint8Array[] = [];
  const readLoop = async () => {
    let code = 1006;
    outer: for (;;) {
      // Parse every complete frame in the buffer, then read more.
      for (;;) {
        if (filled < 2) break;
        const opcode = buffer[0] & 0x0f;
        const fin = (buffer[0] & 0x80) !== 0;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (filled < 4) break;
          length = (buffer[2] << 8) | buffer[3];
          offset = 4;
        } else if (length === 127) {
          if (filled < 10) break;
          length = Number(new DataView(buffer.buffer, buffer.byteOffset).getBigUint64(2));
          offset = 10;
        }
        if (filled < offset + length) {
          if (buffer.byteLength < offset + length) {
            const grown = new Uint8Array(offset + length + READ_CHUNK);
            grown.set(buffer.subarray(0, filled));
            buffer = grown;
          }
          break;
        }
        const payload = buffer.subarray(offset, offset + length);
        if (opcode === 0x8) {
          code = length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
          break outer;
        } else if (opcode === 0x9) enqueue(frame(0xa, payload.slice()));
        else if ((opcode === 0x1 || opcode === 0x0) && fin && fragments.length === 0) {
          // The common case: one whole frame, handed over without a copy.
          handlers.message(payload);
        } else if (opcode === 0x1 || opcode === 0x0) {
          fragments.push(payload.slice());
          if (fin) {
            handlers.message(concat(fragments));
            fragments = [];
          }
        }
        consume(offset + length);
      }
      if (!(await readMore())) break;
    }
    open = false;
    try {
      conn.close();
    } catch { /* already closed */ }
    handlers.closed(code);
  };
  readLoop();

  return {
    send: (text) => enqueue(frame(0x1, encoder.encode(text))),
    sendFrame: enqueue,
    close() {
      if (!open) return;
      open = false;
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
