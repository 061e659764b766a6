/**
 * What the relay benchmark's processes agree on: the frames, the client-side pacing that keeps every
 * socket under the hub's flood guard, and the control lines between the orchestrator and servers.
 *
 * Servers print `{"ready":true,"port":N}` once listening and then follow {@link serveControl}.
 */

import { clientFrame, headerLength } from "./ws_client.ts";

const PAYLOAD_CHARS = 1024;
export const wsPath = (token: string) => `/ws/sessions/${token}`;

/**
 * Client-side token bucket per socket. The hub's guard (server/ws/flood_guard.ts) holds 400
 * frames and refills 200 a second; staying at 300 / 190 leaves room for timer jitter. Every relay
 * gets the same pacing so the comparison stays fair.
 */
export const PACE = { capacity: 300, refillPerSecond: 190 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Every relay sends `type` first and `payload` second, so relay frames start with this. */
const RELAY_PREFIX = encoder.encode('{"type":"relay","payload":"');
const RELAY_TAIL = encoder.encode('"}');
const COLON = 0x3a;

/*
 * The load client works on bytes: the payload is ASCII digits, ":" and "x" (no JSON escapes), so
 * framing, echoing and reading the sequence number need no decoding, parsing or re-encoding. That
 * keeps the client cheaper per frame than the relays it measures, on a machine where they share
 * two cores.
 */
const BODY_LENGTH = RELAY_PREFIX.length + PAYLOAD_CHARS + RELAY_TAIL.length;
const TEMPLATE = (() => {
  const frame = clientFrame(0x1, BODY_LENGTH);
  const at = headerLength(BODY_LENGTH);
  frame.set(RELAY_PREFIX, at);
  frame.fill(0x78, at + RELAY_PREFIX.length, at + RELAY_PREFIX.length + PAYLOAD_CHARS);
  frame.set(RELAY_TAIL, at + RELAY_PREFIX.length + PAYLOAD_CHARS);
  return frame;
})();

/** A framed `{"type":"relay","payload":"…"}` with a 1 KiB payload, to fill with {@link setSeq}. */
export function relayFrame(): Uint8Array {
  return TEMPLATE.slice();
}

const SEQ_AT = headerLength(BODY_LENGTH) + RELAY_PREFIX.length;

/**
 * Writes `<seq>:` at the start of the payload, in place. Each socket reuses one frame: it sends
 * again only after the previous frame came back, so the last write is done by then, and no
 * per-frame buffer feeds the garbage collector.
 */
export function setSeq(frame: Uint8Array, seq: number): Uint8Array {
  let digits = 1;
  for (let rest = seq; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let at = SEQ_AT + digits;
  frame[at] = COLON;
  for (let rest = seq; at > SEQ_AT; rest = Math.floor(rest / 10)) frame[--at] = 0x30 + (rest % 10);
  return frame;
}

/** Whether a received text frame is a relay frame (else parse it with {@link parseFrame}). */
export function isRelayFrame(bytes: Uint8Array): boolean {
  if (bytes.byteLength < RELAY_PREFIX.length) return false;
  for (let i = 0; i < RELAY_PREFIX.length; i++) if (bytes[i] !== RELAY_PREFIX[i]) return false;
  return true;
}

/** The sequence number at the start of a received relay frame's payload. */
export function relaySeq(bytes: Uint8Array): number {
  let seq = 0;
  for (let i = RELAY_PREFIX.length; i < bytes.byteLength && bytes[i] !== COLON; i++) {
    seq = seq * 10 + bytes[i] - 0x30;
  }
  return seq;
}

/** Any other frame (status, error), decoded the ordinary way. */
export function parseFrame(bytes: Uint8Array): { type?: string; connected?: string[] } {
  return JSON.parse(decoder.decode(bytes));
}

/** The lines of standard input, trimmed, until it closes. */
export async function* stdinLines(): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of Deno.stdin.readable) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
    }
  }
}

/**
 * Reads control lines from stdin for a server process: `gc` answers `{"gc":true}` after a full
 * collection, `lag` answers `{"lag":{p99,max}}` for the time since the last `lag`; end of input
 * calls `onEnd`.
 */
export async function serveControl(gc: () => void, onEnd: () => void | Promise<void>) {
  const lag = lagMonitor();
  for await (const line of stdinLines()) {
    if (line === "gc") {
      gc();
      console.log(JSON.stringify({ gc: true }));
    } else if (line === "lag") console.log(JSON.stringify({ lag: lag.take() }));
  }
  await onEnd();
}

/** `globalThis.gc` when the process runs with --expose-gc, else nothing. */
export function fullGc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Event-loop lag of this process: a 5 ms timer notes how late it fires. A relay whose loop stalls
 * (a long GC pause, a slow handler) shows it here, apart from the client's own stalls.
 */
export function lagMonitor(): { take(): { p99: number; max: number } } {
  const INTERVAL = 5;
  let samples: number[] = [];
  let expected = performance.now() + INTERVAL;
  setInterval(() => {
    const now = performance.now();
    samples.push(Math.max(0, now - expected));
    expected = now + INTERVAL;
  }, INTERVAL);
  return {
    take() {
      const sorted = samples.sort((a, b) => a - b);
      samples = [];
      return {
        p99: sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0,
        max: sorted[sorted.length - 1] ?? 0,
      };
    },
  };
}
