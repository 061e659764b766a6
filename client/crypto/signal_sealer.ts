/**
 * Wraps everything the server relays before a secure channel exists (handshake messages, WebRTC
 * offer/answer/candidates) as one opaque string.
 *
 * With a link secret: AES-256-GCM under a key HKDF-derived from the secret and bound to the session
 * token, so the server can neither read nor forge signalling. Format: `s.` + base64url(iv || ct).
 * The IV is random: both seats share this key and send few messages, so a 96-bit random IV is safe
 * and needs no coordination.
 *
 * Without a link secret (bare-token link): `p.` + base64url(JSON). Nothing is hidden from the
 * server; the handshake's safety code is then the only defence against a man in the middle, and the
 * UI must say so. The prefix makes the two forms distinct, and `open` refuses the form it does not
 * expect rather than falling back.
 */
import { CryptoCheckError } from "./errors.ts";
import { type Bytes, decodeJson, encodeJson, fromBase64Url, toBase64Url } from "./encoding.ts";
import { concatBytes, framed, randomBytes } from "./bytes.ts";
import { label } from "./kdf.ts";
import { P, primitivesReady, type SecretKey } from "./primitives.ts";

const SEALED = "s.";
const PLAIN = "p.";
const IV_BYTES = 12;

export class SignalSealer {
  readonly #key: SecretKey | null;
  readonly #aad: Bytes;

  private constructor(key: SecretKey | null, aad: Bytes) {
    this.#key = key;
    this.#aad = aad;
  }

  /** A sealer for `token`; `linkSecret` null gives the unsealed (weaker) form. */
  static async create(token: string, linkSecret: Uint8Array | null): Promise<SignalSealer> {
    const aad = framed(label("signal-aad"), token);
    // The sealer is the first crypto a room uses: this is where the fallback gets loaded.
    await primitivesReady();
    if (linkSecret === null) return new SignalSealer(null, aad);
    const base = await P.hkdfBase(new Uint8Array(linkSecret));
    const key = await P.deriveAesKey(base, label("signal-salt"), framed(label("signal"), token));
    return new SignalSealer(key, aad);
  }

  /** True when a link secret protects the signalling. */
  get sealed(): boolean {
    return this.#key !== null;
  }

  async seal(value: unknown): Promise<string> {
    const plain = encodeJson(value);
    if (this.#key === null) return PLAIN + toBase64Url(plain);
    const iv = randomBytes(IV_BYTES);
    const ct = await P.seal(this.#key, iv, this.#aad, plain);
    return SEALED + toBase64Url(concatBytes(iv, ct));
  }

  /** Throws `CryptoCheckError` on tampering, a wrong link secret, or the unexpected form. */
  async open(text: string): Promise<unknown> {
    if (typeof text !== "string") throw new CryptoCheckError("malformed", "signal");
    const expected = this.#key === null ? PLAIN : SEALED;
    if (!text.startsWith(expected)) {
      const other = this.#key === null ? SEALED : PLAIN;
      if (text.startsWith(other)) {
        // Sealed while this link has no secret, or the other way round: never fall back.
        throw new CryptoCheckError("sealing_mismatch");
      }
      throw new CryptoCheckError("malformed", "prefix");
    }
    const body = fromBase64Url(text.slice(expected.length));
    if (this.#key === null) return decodeJson(body);
    if (body.length < IV_BYTES + 16) throw new CryptoCheckError("malformed", "short");
    let plain: Bytes;
    try {
      plain = await P.open(
        this.#key,
        body.subarray(0, IV_BYTES),
        this.#aad,
        body.subarray(IV_BYTES),
      );
    } catch {
      throw new CryptoCheckError("decrypt_failed");
    }
    return decodeJson(plain);
  }
}
