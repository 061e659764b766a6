/**
 * What the relay benchmark's processes agree on: the frames, the client-side pacing that keeps every
 * socket under the hub's flood guard, and the control lines between the orchestrator and servers.
 *
 * Servers print `{"ready":true,"port":N}` once listening, answer a stdin line `gc` with a full
 * garbage collection and `{"gc":true}`, and exit when stdin closes.
 */

export const PAYLOAD_CHARS = 1024;
export const wsPath = (token: string) => `/ws/sessions/${token}`;

/**
 * Client-side token bucket per socket. The hub's guard (server/ws/flood_guard.ts) holds 400
 * frames and refills 200 a second; staying at 300 / 190 leaves room for timer jitter. Every relay
 * gets the same pacing so the comparison stays fair.
 */
export const PACE = { capacity: 300, refillPerSecond: 190 } as const;

const FILLER = "x".repeat(PAYLOAD_CHARS);

/** A 1 KiB payload that starts with the sequence number. */
export function payload(seq: number): string {
  const head = `${seq}:`;
  return head + FILLER.slice(head.length);
}

/** The sequence number at the start of a payload. */
export function payloadSeq(text: string): number {
  return parseInt(text, 10);
}

/** Reads control lines from stdin for a server process: `gc`, and exit on end of input. */
export async function serveControl(gc: () => void, onEnd: () => void | Promise<void>) {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of Deno.stdin.readable) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line === "gc") {
        gc();
        console.log(JSON.stringify({ gc: true }));
      }
    }
  }
  await onEnd();
}

/** `globalThis.gc` when the process runs with --expose-gc, else nothing. */
export function fullGc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
