/**
 * The authenticated key exchange between the two seats (host and guest), one attempt per object.
 *
 *   host                                   guest
 *   commit {alg, H(alg,hid,hostPub,nonce)} ->
 *                                      <-  need_alg {alg}   (only if it cannot do alg; host
 *   commit {alg', ...}                 ->                    re-commits once with a new key)
 *                                      <-  key {alg, guestPub}
 *   reveal {hostPub, nonce, confirm_h} ->   guest checks the commitment, derives, checks confirm_h
 *                                      <-  confirm {confirm_g}   guest done
 *   host checks confirm_g, done
 *
 * Both ends then hold the same SecureChannel keys and safety code. Any failed check throws
 * `CryptoCheckError` and poisons the attempt (later calls throw "handshake_failed"); there is no
 * fallback. Messages are plain JSON: seal them with `SignalSealer` before they reach the server.
 *
 * Restarts: one Handshake is one attempt, identified by the host's random `hid`. A guest that sees
 * a commit with another hid, or either side after a reload or failure, needs a fresh Handshake
 * (a guest may call `adoptId(commit.hid)` first to know its id before delivering the commit);
 * client/chat/keys.ts does this bookkeeping, and is the one place of those rules.
 */
import { CryptoCheckError } from "./errors.ts";
import { type Bytes, toBase64Url } from "./encoding.ts";
import { bytesEqual, randomBytes } from "./bytes.ts";
import {
  type EphemeralKey,
  generateEphemeral,
  isKeyAlgorithm,
  type KeyAlgorithm,
  PUBLIC_KEY_BYTES,
  supportedAlgorithms,
} from "./key_agreement.ts";
import { COMMIT_NONCE_BYTES, commitTo, verifyCommitment } from "./commitment.ts";
import type { HandshakeRole } from "./transcript.ts";
import type { SessionKeys } from "./key_schedule.ts";
import type { SecureChannel } from "./secure_channel.ts";
import type { SafetyCode } from "./safety_code.ts";
import { deriveHandshakeKeys, preloadSafetyCodes } from "./handshake_derive.ts";
import {
  algorithmField,
  bytesField,
  type HandshakeMessage,
  parseHandshakeMessage,
} from "./handshake_messages.ts";

export type { HandshakeRole };
export type { HandshakeMessage };

export interface HandshakeOptions {
  role: HandshakeRole;
  token: string;
  linkSecret: Uint8Array | null;
  /** Algorithms this end can do, best first. Default: probed from WebCrypto. Tests inject it. */
  algorithms?: KeyAlgorithm[];
}

export interface HandshakeResult {
  channel: SecureChannel;
  safetyCode: SafetyCode;
}

/** host: new -> committed -> revealed -> done;  guest: new -> (asked ->) keyed -> done. */
type State = "new" | "committed" | "asked" | "keyed" | "revealed" | "done" | "failed";

const CONFIRM_BYTES = 32;
const HID_BYTES = 16;

export class Handshake {
  readonly role: HandshakeRole;
  readonly #token: string;
  readonly #linkSecret: Uint8Array | null;
  readonly #algorithms: KeyAlgorithm[];
  #hid: string;
  #state: State = "new";
  #key: EphemeralKey | undefined;
  #nonce: Bytes | undefined; // host: its commitment nonce
  #commitment: Bytes | undefined; // host: its own; guest: the host's
  #switched = false; // host: has already re-committed for need_alg
  #keys: SessionKeys | undefined;
  #agreed: KeyAlgorithm | undefined;
  #outcome: HandshakeResult | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(options: HandshakeOptions, algorithms: KeyAlgorithm[]) {
    this.role = options.role;
    this.#token = options.token;
    this.#linkSecret = options.linkSecret === null ? null : new Uint8Array(options.linkSecret);
    this.#algorithms = algorithms;
    // The host names the attempt; a guest adopts the hid of the first commit it accepts.
    this.#hid = options.role === "host" ? toBase64Url(randomBytes(HID_BYTES)) : "";
  }

  static async create(options: HandshakeOptions): Promise<Handshake> {
    preloadSafetyCodes();
    const algorithms = options.algorithms ?? await supportedAlgorithms();
    if (algorithms.length === 0) throw new Error("No key agreement");
    const handshake = new Handshake(options, algorithms);
    if (options.role === "host") await handshake.#prepareCommit(algorithms[0]);
    return handshake;
  }

  /** The handshake id ("" for a guest until it accepts a commit). */
  get id(): string {
    return this.#hid;
  }

  /**
   * Guest only, before its first message: fixes this attempt's id to the hid of the commit about
   * to be delivered, so callers can tag things with `id` right away. A commit with another hid
   * is then refused.
   */
  adoptId(hid: string): void {
    if (this.role !== "guest" || this.#state !== "new" || this.#hid !== "") {
      throw new Error("adoptId: fresh guest only");
    }
    this.#hid = parseHandshakeMessage({ kind: "commit", hid }).hid;
  }

  /** True once the peer's key confirmation verified; then `result()` is available. */
  get done(): boolean {
    return this.#state === "done";
  }

  get failed(): boolean {
    return this.#state === "failed";
  }

  /** The agreed algorithm (for the host: the one currently committed); null before one is known. */
  get algorithm(): KeyAlgorithm | null {
    return this.#agreed ?? this.#key?.algorithm ?? null;
  }

  /** Host: [commit]. Guest: [] (it waits for the host's commit). */
  // deno-lint-ignore require-await
  async start(): Promise<HandshakeMessage[]> {
    if (this.role === "guest") return [];
    if (this.#state !== "new") throw new Error("start() may only be called once");
    this.#state = "committed";
    return [this.#commitMessage()];
  }

  /**
   * Handles one message from the peer and returns the messages to send back. Calls are queued, so
   * overlapping calls are safe. A message of another attempt (other hid) is refused with
   * "unexpected_message" without harming this attempt; any other failed check ends it. Once
   * done, further messages are ignored (returns []).
   */
  receive(message: HandshakeMessage): Promise<HandshakeMessage[]> {
    const run = this.#queue.then(() => this.#step(message));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The secure channel and safety code; throws unless `done`. */
  result(): HandshakeResult {
    if (this.#state !== "done" || !this.#outcome) {
      throw new Error("Handshake not finished");
    }
    return this.#outcome;
  }

  async #step(raw: HandshakeMessage): Promise<HandshakeMessage[]> {
    const message = parseHandshakeMessage(raw);
    if (this.#state === "failed") {
      throw new CryptoCheckError("handshake_failed");
    }
    // A finished attempt ignores replays and late duplicates: they cannot change its keys, and
    // treating them as failures would let whoever replays them stop a working chat.
    if (this.#state === "done") return [];
    const adopting = this.role === "guest" && this.#state === "new" && message.kind === "commit" &&
      (this.#hid === "" || message.hid === this.#hid);
    if (!adopting && message.hid !== this.#hid) {
      throw new CryptoCheckError("unexpected_message", "hid");
    }
    try {
      return this.role === "host" ? await this.#hostStep(message) : await this.#guestStep(message);
    } catch (error) {
      this.#state = "failed";
      this.#key = undefined;
      throw error;
    }
  }

  async #hostStep(message: HandshakeMessage): Promise<HandshakeMessage[]> {
    const key = this.#key!;
    if (this.#state === "committed" && message.kind === "need_alg") {
      const wanted = algorithmField(message);
      if (this.#switched || wanted === key.algorithm || !this.#algorithms.includes(wanted)) {
        throw new CryptoCheckError("unsupported_algorithm", wanted);
      }
      this.#switched = true;
      await this.#prepareCommit(wanted);
      return [this.#commitMessage()];
    }
    if (this.#state === "committed" && message.kind === "key") {
      if (algorithmField(message) !== key.algorithm) {
        throw new CryptoCheckError("unexpected_message", "alg");
      }
      const guestPublic = bytesField(message, "pub", PUBLIC_KEY_BYTES[key.algorithm]);
      await this.#derive(key.publicKey, guestPublic, this.#nonce!, key);
      this.#state = "revealed";
      return [{
        kind: "reveal",
        hid: this.#hid,
        pub: toBase64Url(key.publicKey),
        nonce: toBase64Url(this.#nonce!),
        confirm: toBase64Url(this.#keys!.confirm.host),
      }];
    }
    if (this.#state === "revealed" && message.kind === "confirm") {
      this.#checkConfirm(bytesField(message, "confirm", CONFIRM_BYTES), "guest");
      return [];
    }
    throw this.#unexpected(message);
  }

  async #guestStep(message: HandshakeMessage): Promise<HandshakeMessage[]> {
    if ((this.#state === "new" || this.#state === "asked") && message.kind === "commit") {
      const offered = message.alg;
      if (!isKeyAlgorithm(offered) || !this.#algorithms.includes(offered)) {
        if (this.#state === "asked") {
          throw new CryptoCheckError("unsupported_algorithm", String(offered));
        }
        // Ask once for our best algorithm; the host re-commits with a fresh key of that kind.
        this.#hid = message.hid;
        this.#state = "asked";
        return [{ kind: "need_alg", hid: this.#hid, alg: this.#algorithms[0] }];
      }
      this.#commitment = bytesField(message, "commitment", 32);
      this.#hid = message.hid;
      this.#key = await generateEphemeral(offered);
      this.#state = "keyed";
      return [{ kind: "key", hid: this.#hid, alg: offered, pub: toBase64Url(this.#key.publicKey) }];
    }
    if (this.#state === "keyed" && message.kind === "reveal") {
      const key = this.#key!;
      const hostPublic = bytesField(message, "pub", PUBLIC_KEY_BYTES[key.algorithm]);
      const nonce = bytesField(message, "nonce", COMMIT_NONCE_BYTES);
      const hostConfirm = bytesField(message, "confirm", CONFIRM_BYTES);
      await verifyCommitment(this.#commitment!, key.algorithm, this.#hid, hostPublic, nonce);
      await this.#derive(hostPublic, key.publicKey, nonce, key);
      this.#checkConfirm(hostConfirm, "host");
      return [{ kind: "confirm", hid: this.#hid, confirm: toBase64Url(this.#keys!.confirm.guest) }];
    }
    throw this.#unexpected(message);
  }

  /** A fresh key pair and nonce for `algorithm`, and the commitment to them. */
  async #prepareCommit(algorithm: KeyAlgorithm): Promise<void> {
    this.#key = await generateEphemeral(algorithm);
    this.#nonce = randomBytes(COMMIT_NONCE_BYTES);
    this.#commitment = await commitTo(algorithm, this.#hid, this.#key.publicKey, this.#nonce);
  }

  #commitMessage(): HandshakeMessage {
    return {
      kind: "commit",
      hid: this.#hid,
      alg: this.#key!.algorithm,
      commitment: toBase64Url(this.#commitment!),
    };
  }

  /** ECDH with the peer's key, then all session keys over the transcript. */
  async #derive(hostPublic: Bytes, guestPublic: Bytes, nonce: Bytes, own: EphemeralKey) {
    const { keys, channel, safetyCode } = await deriveHandshakeKeys({
      role: this.role,
      token: this.#token,
      hid: this.#hid,
      linkSecret: this.#linkSecret,
      hostPublic,
      guestPublic,
      nonce,
      own,
    });
    this.#keys = keys;
    this.#agreed = own.algorithm;
    this.#outcome = { channel, safetyCode };
  }

  /** Verifies the peer's confirmation value; on success the attempt is done. */
  #checkConfirm(received: Bytes, peer: HandshakeRole): void {
    if (!bytesEqual(received, this.#keys!.confirm[peer])) {
      // Different keys: a wrong link secret or a substituted public key.
      throw new CryptoCheckError("confirmation_failed");
    }
    this.#state = "done";
    this.#key = undefined; // the #key is no longer needed; drop it.
  }

  #unexpected(message: HandshakeMessage): CryptoCheckError {
    return new CryptoCheckError("unexpected_message", `${this.#state} ${message.kind}`);
  }
}
