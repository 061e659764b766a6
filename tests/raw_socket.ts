/**
 * A WebSocket client at the byte level, for attacks a polite client cannot make: stop reading,
 * announce a huge frame, send a header a byte at a time. Loopback only; every wait is bounded.
 */
const encoder = new TextEncoder();

export interface RawSocket {
  conn: Deno.TcpConn;
  /** The server's answer to the upgrade (status line and headers). */
  head: string;
}

/** Sends an upgrade request for `path` and reads the answer's head; no frame is read. */
export async function rawUpgrade(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawSocket> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  await conn.write(encoder.encode(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
      `Sec-WebSocket-Version: 13\r\n${extra}\r\n`,
  ));
  // Read byte by byte up to the blank line, so no frame byte is taken with the head.
  const bytes: number[] = [];
  const one = new Uint8Array(1);
  while (!(bytes.length >= 4 && bytes.slice(-4).join() === "13,10,13,10")) {
    if (await conn.read(one) === null) break;
    bytes.push(one[0]);
  }
  return { conn, head: new TextDecoder().decode(new Uint8Array(bytes)) };
}

/** A masked client frame; `announced` claims a different payload length in the header. */
export function clientFrame(opcode: number, payload: Uint8Array, announced = payload.length) {
  const head: number[] = [0x80 | opcode];
  if (announced < 126) head.push(0x80 | announced);
  else if (announced < 65536) head.push(0x80 | 126, announced >> 8, announced & 0xff);
  else {
    head.push(0x80 | 127, 0, 0, 0, 0);
    head.push((announced >>> 24) & 0xff, (announced >>> 16) & 0xff);
    head.push((announced >>> 8) & 0xff, announced & 0xff);
  }
  const mask = [0x12, 0x34, 0x56, 0x78];
  const out = new Uint8Array(head.length + 4 + payload.length);
  out.set(head);
  out.set(mask, head.length);
  for (let i = 0; i < payload.length; i++) out[head.length + 4 + i] = payload[i] ^ mask[i % 4];
  return out;
}

export const textFrame = (text: string) => clientFrame(1, encoder.encode(text));

/**
 * Reads until the server ends the connection or `timeoutMs` passes; returns the close code of the
 * server's close frame (if one came) and whether the TCP connection ended.
 */
export async function readToEnd(
  conn: Deno.Conn,
  timeoutMs: number,
): Promise<{ closeCode: number | null; ended: boolean; bytes: number }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const buffer = new Uint8Array(64 * 1024);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      conn.close();
    } catch { /* gone */ }
  }, timeoutMs);
  let ended = false;
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) {
        ended = true;
        break;
      }
      total += n;
      // Keep only the tail: the close frame is the last thing the server sends.
      chunks.push(buffer.slice(0, n));
      if (chunks.length > 4) chunks.shift();
    }
  } catch {
    // Closed by the timer (still open at the deadline), or reset by the server.
    ended = !timedOut;
  } finally {
    clearTimeout(timer);
  }
  return { closeCode: lastCloseCode(chunks), ended, bytes: total };
}

/** The code of a server close frame (0x88, short length) in the last bytes received. */
function lastCloseCode(chunks: Uint8Array[]): number | null {
  const tail = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) (tail.set(chunk, at), at += chunk.length);
  for (let i = tail.length - 4; i >= 0; i--) {
    if (
      tail[i] === 0x88 && tail[i + 1] >= 2 && tail[i + 1] <= 125 &&
      i + 2 + tail[i + 1] === tail.length
    ) {
      return (tail[i + 2] << 8) | tail[i + 3];
    }
  }
  return null;
}
