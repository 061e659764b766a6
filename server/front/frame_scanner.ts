/**
 * Reads WebSocket frame headers in the client -> server byte stream as it passes, so a message over
 * the cap or a binary frame is refused from its header, before Deno buffers the message whole
 * (Deno.upgradeWebSocket has no maximum-message option). Payload bytes are skipped, not copied.
 */
import { CLOSE } from "../../contract/close_codes.ts";

export const REFUSE_BINARY = CLOSE.unsupported;
export const REFUSE_TOO_BIG = CLOSE.tooBig;

export class FrameScanner {
  /** Header bytes gathered so far (a header may straddle reads). */
  #head = new Uint8Array(14);
  #headLength = 0;
  /** Payload bytes of the current frame still to pass. */
  #payloadLeft = 0;
  /** Data bytes of the current (possibly fragmented) message so far. */
  #messageBytes = 0;

  constructor(private readonly maxMessageBytes: number) {}

  /** Scans one chunk; a close code when a frame in it must be refused, else 0. */
  scan(chunk: Uint8Array): number {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.#payloadLeft > 0) {
        const skip = Math.min(this.#payloadLeft, n - i);
        this.#payloadLeft -= skip;
        i += skip;
        continue;
      }
      this.#head[this.#headLength++] = chunk[i++];
      const need = this.#headerLength();
      if (need === 0 || this.#headLength < need) continue;
      const refusal = this.#frame();
      if (refusal !== 0) return refusal;
    }
    return 0;
  }

  /** Full header length once known (2-14 bytes, masked), 0 while too short to tell. */
  #headerLength(): number {
    if (this.#headLength < 2) return 0;
    const len7 = this.#head[1] & 0x7f;
    const mask = this.#head[1] & 0x80 ? 4 : 0;
    return 2 + mask + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0);
  }

  #frame(): number {
    const head = this.#head;
    const fin = (head[0] & 0x80) !== 0;
    const opcode = head[0] & 0x0f;
    const len7 = head[1] & 0x7f;
    let length = len7;
    if (len7 === 126) length = (head[2] << 8) | head[3];
    else if (len7 === 127) {
      // Past 2^53 is past any cap; the high bytes alone decide that.
      length = 0;
      for (let k = 2; k < 10; k++) length = length * 256 + head[k];
    }
    this.#headLength = 0;
    this.#payloadLeft = length;
    if (opcode === 0x2) return REFUSE_BINARY;
    // Control frames (close, ping, pong) are at most 125 bytes by the protocol; Deno checks that.
    if (opcode >= 0x8) return 0;
    if (opcode === 0x1) this.#messageBytes = 0;
    this.#messageBytes += length;
    if (this.#messageBytes > this.maxMessageBytes) return REFUSE_TOO_BIG;
    if (fin) this.#messageBytes = 0;
    return 0;
  }
}
