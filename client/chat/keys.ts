/**
 * The chat's keys: one handshake (client/crypto/handshake.ts) per meeting of the two seats, run
 * through sealed `signal` frames, and the bookkeeping around it that handshake.ts leaves to its
 * caller. This is the one place of those rules:
 *
 * - The host starts a handshake whenever it sees the guest arrive; the guest follows the newest
 *   commit (a new `hid`) and drops what belongs to an older one.
 * - The guest asks for a handshake ("hello") only when none completed after FIRST_HELLO_MS, and
 *   again every HANDSHAKE_RETRY_MS while none completes: a frame lost while a socket reconnected
 *   must not leave the two without keys.
 * - An exchange that has not finished after KEY_EXCHANGE_TIMEOUT_MS is announced (not fatal).
 *
 * Link signals (the direct path's offers and candidates) travel the same way and are handed on
 * with the hid they belong to; every signal has one outer type and is padded (padding.ts), so the
 * server cannot tell them from key-exchange messages.
 */
import type { Role } from "../../contract/session.ts";
import { Handshake } from "../crypto/handshake.ts";
import { type HandshakeMessage, parseHandshakeMessage } from "../crypto/handshake_messages.ts";
import type { SafetyCode } from "../crypto/safety_code.ts";
import type { SecureChannel } from "../crypto/secure_channel.ts";
import { SignalSealer } from "../crypto/signal_sealer.ts";
import { padded } from "./padding.ts";
import type { LinkSignal } from "./peer_link.ts";

/** The one signal type the server sees; what kind of signal it is travels inside the seal. */
export const SEALED_SIGNAL = "sealed";

const HANDSHAKE_RETRY_MS = 4000;
/** Asking at once would make the host start over on every join (it starts when it sees us). */
const FIRST_HELLO_MS = 1500;
/** Longer than any honest exchange (a few relayed round trips): past it, say so. */
const KEY_EXCHANGE_TIMEOUT_MS = 10_000;

export interface KeyEvents {
  /** A sealed signal to send as `{type: "signal", signalType: SEALED_SIGNAL, payload}`. */
  send(payload: string): void;
  /** A new handshake became current: whatever hung on the old one (keys, link) is void. */
  adopted(hid: string): void;
  /** The current handshake completed. */
  secured(channel: SecureChannel, safetyCode: SafetyCode): void;
  /** A link signal arrived, for the handshake `hid`. */
  linkSignal(hid: string, signal: LinkSignal): void;
  /** The exchange is taking longer than KEY_EXCHANGE_TIMEOUT_MS. */
  stalled(): void;
  /** A check failed: the chat must stop. */
  failed(error: unknown, what: string, advice?: string): void;
  /** Runs `task` in the chat's one inbound queue (handshakes depend on the order). */
  serially(task: () => Promise<void>): void;
  /** Whether the chat has stopped for good. */
  halted(): boolean;
}

export interface KeyOptions {
  token: string;
  role: Role;
  linkSecret: Uint8Array | null;
}

export class KeyExchange {
  readonly #options: KeyOptions;
  readonly #events: KeyEvents;
  readonly #sealer: Promise<SignalSealer>;
  #handshake: Handshake | null = null;
  #secured = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #keyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: KeyOptions, events: KeyEvents) {
    this.#options = options;
    this.#events = events;
    this.#sealer = SignalSealer.create(options.token, options.linkSecret);
    this.#sealer.catch((error) =>
      events.failed(
        error,
        "This browser could not load the encryption code, so the chat cannot start.",
        "Check the connection and reload the page, or open the https address.",
      )
    );
  }

  /** The id of the current handshake, which tags everything sealed under it. */
  get id(): string | null {
    return this.#handshake?.id ?? null;
  }

  /** Both seats are connected (start or ask for a handshake), or either left (forget it). */
  async presence(present: boolean): Promise<void> {
    this.#stopTimers();
    this.#handshake = null;
    this.#secured = false;
    if (!present) return;
    this.#keyTimer = setTimeout(() => {
      if (!this.#events.halted() && !this.#secured) this.#events.stalled();
    }, KEY_EXCHANGE_TIMEOUT_MS);
    if (this.#options.role === "host") await this.#start();
    else this.#askAfter(FIRST_HELLO_MS);
  }

  /** Sends a link signal for the handshake `hid`. */
  sendLinkSignal(hid: string, signal: LinkSignal): Promise<void> {
    return this.#send({ hid, ...signal });
  }

  /** Opens a sealed signal and acts on it. */
  async receive(payload: unknown): Promise<void> {
    if (typeof payload !== "string") return;
    let value: unknown;
    try {
      value = await (await this.#sealer).open(payload);
    } catch (error) {
      this.#events.failed(error, "A signalling message failed its check.");
      return;
    }
    if (typeof value !== "object" || value === null) return;
    // The filler is not part of the message (padding.ts).
    const { p: _, ...message } = value as { kind?: unknown; hid?: unknown; p?: unknown };
    if (typeof message.hid !== "string") return;
    if (message.kind === "description" || message.kind === "candidate") {
      this.#events.linkSignal(message.hid, message as LinkSignal);
    } else await this.#handshakeMessage(parseHandshakeMessage(message));
  }

  /** Forgets the keys (the chat stopped or is disposed). */
  stop(): void {
    this.#stopTimers();
    this.#handshake = null;
    this.#secured = false;
  }

  #stopTimers(): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#keyTimer);
  }

  #askAfter(delayMs: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (this.#events.halted() || this.#secured) return;
      this.#events.serially(async () => {
        await this.#send({ kind: "hello", hid: "" });
        this.#askAfter(HANDSHAKE_RETRY_MS);
      });
    }, delayMs);
  }

  async #start(): Promise<void> {
    const handshake = await Handshake.create(this.#options);
    if (this.#events.halted()) return;
    this.#adopt(handshake);
    // Awaited one by one: a later commit overtaking an earlier one would strand the guest.
    for (const message of await handshake.start()) await this.#send(message);
  }

  #adopt(handshake: Handshake): void {
    this.#handshake = handshake;
    this.#secured = false;
    this.#events.adopted(handshake.id);
  }

  async #handshakeMessage(message: HandshakeMessage): Promise<void> {
    try {
      if (message.kind === "hello") {
        if (this.#options.role === "host") await this.#start();
        return;
      }
      let handshake = this.#handshake;
      if (message.hid !== handshake?.id) {
        // Only the host opens a handshake (with a commit); the guest follows its newest one.
        if (this.#options.role !== "guest" || message.kind !== "commit") return;
        handshake = await Handshake.create(this.#options);
        handshake.adoptId(message.hid);
        this.#adopt(handshake);
      }
      for (const reply of await handshake.receive(message)) await this.#send(reply);
      if (handshake.done && !this.#secured && handshake === this.#handshake) {
        this.#secured = true;
        clearTimeout(this.#keyTimer);
        const { channel, safetyCode } = handshake.result();
        this.#events.secured(channel, safetyCode);
      }
    } catch (error) {
      this.#events.failed(error, "The key exchange failed its checks.");
    }
  }

  /** Handshake and link signals alike: one outer type, padded, the kind inside the seal. */
  async #send(value: object): Promise<void> {
    const sealer = await this.#sealer;
    this.#events.send(await sealer.seal(padded(value)));
  }
}
