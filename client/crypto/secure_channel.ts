/**
 * The message layer after a handshake: each JSON value becomes one AES-256-GCM envelope.
 *
 * Envelope (then base64url):  version(1) | direction(1) | sequence(8, big-endian) | ciphertext+tag
 *   direction: 1 = host->guest, 2 = guest->host; sequence counts 0, 1, 2, ... per direction.
 *
 * Nonce (96 bits):            direction(4, big-endian) | sequence(8, big-endian)
 *   Each direction has its own key and a counter that only goes up, so a (key, nonce) pair is
 *   never reused; the direction in the nonce is a second guard should the keys ever coincide.
 *   A reload runs a new handshake with fresh ephemeral keys, so restarting the counter at 0 is
 *   safe. Counters never need to be stored.
 *
 * Associated data:            framed(label, session token) | the 10 header bytes
 *   Binds each ciphertext to this session, its direction and its sequence number, so an envelope
 *   cannot be moved to another session, reflected back, or renumbered to dodge the replay window.
 */
import { CryptoCheckError } from "./errors.ts";
import { type Bytes, decodeJson, encodeJson, fromBase64Url, toBase64Url } from "./encoding.ts";
import { concatBytes, framed } from "./bytes.ts";
import { label } from "./kdf.ts";
import { P, type SecretKey } from "./primitives.ts";
import { ReplayWindow } from "./replay_window.ts";
import type { HandshakeRole } from "./transcript.ts";

const VERSION = 1;
const HEADER_BYTES = 10;
const TAG_BYTES = 16;
const DIRECTION: Record<HandshakeRole, number> = { host: 1, guest: 2 };

export interface SecureChannelOptions {
  token: string;
  /** Which seat this end is; it seals in its own direction and opens the other one. */
  role: HandshakeRole;
  sendKey: SecretKey;
  receiveKey: SecretKey;
  /** Replay window size (default 64). */
  window?: number;
}

export class SecureChannel {
  readonly role: HandshakeRole;
  readonly #sendKey: SecretKey;
  readonly #receiveKey: SecretKey;
  readonly #sendDirection: number;
  readonly #receiveDirection: number;
  readonly #tokenAad: Bytes;
  readonly #window: ReplayWindow;
  #nextSeq = 0;

  constructor(options: SecureChannelOptions) {
    this.role = options.role;
    this.#sendKey = options.sendKey;
    this.#receiveKey = options.receiveKey;
    this.#sendDirection = DIRECTION[options.role];
    this.#receiveDirection = DIRECTION[options.role === "host" ? "guest" : "host"];
    this.#tokenAad = framed(label("message"), options.token);
    this.#window = new ReplayWindow(options.window);
  }

  /** JSON value -> envelope string, using the next sequence number of this end's direction. */
  async seal(value: unknown): Promise<string> {
    const plain = encodeJson(value);
    // Taken synchronously, so concurrent seals still get distinct numbers.
    const seq = this.#nextSeq++;
    if (!Number.isSafeInteger(seq)) throw new Error("Sequence exhausted");
    const header = encodeHeader(this.#sendDirection, seq);
    const ct = await P.seal(
      this.#sendKey,
      nonce(this.#sendDirection, seq),
      concatBytes(this.#tokenAad, header),
      plain,
    );
    return toBase64Url(concatBytes(header, ct));
  }

  /** Envelope -> JSON value. Throws `CryptoCheckError` on tamper, wrong key, replay or age. */
  async open(envelope: string): Promise<unknown> {
    const bytes = fromBase64Url(envelope);
    if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes[0] !== VERSION) {
      throw new CryptoCheckError("malformed", "envelope");
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const direction = bytes[1];
    if (direction !== this.#receiveDirection) {
      throw new CryptoCheckError("wrong_direction");
    }
    const seq = Number(view.getBigUint64(2));
    if (!Number.isSafeInteger(seq)) throw new CryptoCheckError("malformed", "seq");
    // Cheap rejection before decrypting; checked again in accept() after the await.
    this.#window.check(seq);
    let plain: Bytes;
    try {
      plain = await P.open(
        this.#receiveKey,
        nonce(direction, seq),
        concatBytes(this.#tokenAad, bytes.subarray(0, HEADER_BYTES)),
        bytes.subarray(HEADER_BYTES),
      );
    } catch {
      throw new CryptoCheckError("decrypt_failed");
    }
    const value = decodeJson(plain);
    this.#window.accept(seq);
    return value;
  }
}

function encodeHeader(direction: number, seq: number): Bytes {
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = VERSION;
  header[1] = direction;
  new DataView(header.buffer).setBigUint64(2, BigInt(seq));
  return header;
}

function nonce(direction: number, seq: number): Bytes {
  const iv = new Uint8Array(12);
  const view = new DataView(iv.buffer);
  view.setUint32(0, direction);
  view.setBigUint64(4, BigInt(seq));
  return iv;
}
