/**
 * One encrypted conversation between the two seats of a room, made of three parts:
 *
 * - keys.ts: a fresh handshake for each meeting of the two seats, through sealed `signal` frames.
 *   Its id ("hid") tags everything that depends on it: the direct link built for it and every
 *   envelope sealed under it, so leftovers from an older handshake are dropped quietly while a
 *   failed check on the current one stops the chat.
 * - path.ts: the WebRTC data channel when it is open, the server's relay otherwise.
 * - outbox.ts: messages wait until the peer acknowledges them and go out again under the next
 *   handshake (or on "Retry"); conversation.ts shows each once, in its sender's order.
 *
 * It talks to the room's socket through a {@link SocketPort} and reads presence from the room
 * model's one signal; the room model (client/room_model.ts) creates and disposes it.
 *
 * The server sees one outer signal type and padded sizes only (padding.ts). `verified` is this
 * person's own "The codes match" and nothing else sets it; `peerVerified` is the peer's claim.
 *
 * Nothing here is written to any storage: dispose() forgets the conversation and the keys.
 */
import { batch, computed, effect, signal } from "@preact/signals-core";
import type { ReadonlySignal, Signal } from "@preact/signals-core";
import type { Role } from "../../contract/session.ts";
import { CryptoCheckError } from "../crypto/errors.ts";
import type { SafetyCode } from "../crypto/safety_code.ts";
import type { SecureChannel } from "../crypto/secure_channel.ts";
import { CallPort } from "./call_port.ts";
import { Conversation } from "./conversation.ts";
import { FilePort } from "./file_port.ts";
import { Inbox } from "./inbox.ts";
import { KeyExchange, SEALED_SIGNAL } from "./keys.ts";
import { Outbox } from "./outbox.ts";
import { padded } from "./padding.ts";
import { Parked } from "./parked.ts";
import { type ChatPath, PathChoice } from "./path.ts";
import { hasVisibleText } from "./text_rules.ts";
import type { ChatSessionOptions, SendRefusal } from "./session_options.ts";
import { charCount, type ChatWire, parseWire } from "./wire.ts";

export type { ChatMessage } from "./conversation.ts";
export type { ChatPath };
export { SEALED_SIGNAL };
export type { ChatSessionOptions, SendRefusal, SocketPort } from "./session_options.ts";

const QUIET_REASONS = new Set(["replay", "too_old"]);
const STOPPED = "The chat was stopped to protect you; start a new token.";
const SEND_TIMEOUT_MS = 15_000;
const MAX_EARLY_ENVELOPES = 64;

export class ChatSession {
  readonly #conversation = new Conversation();
  readonly messages = this.#conversation.messages;
  readonly #path: PathChoice;
  readonly path: ReadonlySignal<ChatPath>;
  /** Call control and the direct link, for the call code (client/call/, loaded on demand). */
  readonly calls: CallPort;
  /** File wires and the files' lines, for the transfer code (client/files/, loaded on demand). */
  readonly files: FilePort;
  readonly secured = signal(false);
  readonly safetyCode = signal<SafetyCode | null>(null);
  /** This person compared the codes and pressed "The codes match" (for the current keys). */
  readonly verified = signal(false);
  /** The other side says its person did: their claim, which this side cannot check. */
  readonly peerVerified: Signal<boolean>;
  readonly peerTyping: ReadonlySignal<boolean>;
  /**
   * A failed security check: the chat is stopped and this says why. Also a key exchange taking
   * longer than it should, which is said but not fatal: it clears once the exchange completes.
   */
  readonly failure = signal<string | null>(null);
  /** Set by the first completed handshake: from then on messages queue while the peer is away. */
  readonly started = signal(false);
  readonly canSend = computed(() => this.started.value && this.failure.value === null);

  readonly #keys: KeyExchange;
  #channel: SecureChannel | null = null;
  /** Sealed under the handshake this side is still completing (the peer finished first). */
  readonly #early = new Parked<string>(MAX_EARLY_ENVELOPES);
  /** The failure shown is the slow key exchange, not a stop. */
  #stalled = false;
  readonly #outbox: Outbox;
  readonly #inbox: Inbox;
  readonly #unsubscribe: (() => void)[] = [];
  #disposed = false;
  /** Incoming frames are handled one at a time, in arrival order (handshakes depend on it). */
  #inbound: Promise<void> = Promise.resolve();
  readonly #options: ChatSessionOptions;

  constructor(options: ChatSessionOptions) {
    this.#options = options;
    const serially = (task: () => Promise<void>) => this.#serially(task);
    const transmit = (wire: ChatWire) => this.#transmit(wire);
    const timeout = options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    this.#outbox = new Outbox(this.#conversation, transmit, timeout);
    this.#path = new PathChoice(options.iceServers.peek(), options.role === "guest", {
      signal: (hid, message) => this.#keys.sendLinkSignal(hid, message),
      message: (data) => this.#serially(() => this.#envelope(data)),
      serially,
    });
    this.path = this.#path.path;
    this.calls = new CallPort(transmit, this.#path.link);
    this.files = new FilePort(transmit, this.path, this.#conversation);
    this.#inbox = new Inbox(this.#conversation, this.#outbox, transmit, this.calls, this.files);
    this.peerTyping = this.#inbox.peerTyping;
    this.peerVerified = this.#inbox.peerVerified;
    this.#keys = new KeyExchange(options, {
      send: (payload) => options.port.send({ type: "signal", signalType: SEALED_SIGNAL, payload }),
      adopted: (hid) => {
        this.#channel = null;
        this.secured.value = false;
        this.#path.adopt(hid);
      },
      secured: (channel, safetyCode) => this.#secured(channel, safetyCode),
      linkSignal: (hid, message) => this.#path.receive(hid, message),
      stalled: () => {
        // Said, not fatal: a frozen background tab or a slow network may still catch up.
        this.#stalled = true;
        this.failure.value = "The key exchange has not finished after 10 seconds. Check that " +
          "the other person still has the chat open and both devices are online; it keeps trying.";
      },
      failed: (error, what, advice) => this.#fail(error, what, advice),
      serially,
      halted: () => this.#halted,
    });
    this.#unsubscribe.push(
      effect(() => this.#path.setIceServers(options.iceServers.value)),
      effect(() => {
        const present = options.bothPresent.value;
        this.#serially(() => this.#presence(present));
      }),
      options.port.receive((frame) => {
        if (frame.type !== "signal" && frame.type !== "relay") return;
        const { type, payload } = frame;
        this.#serially(() => type === "relay" ? this.#envelope(payload) : this.#handshake(payload));
      }),
    );
    const restart = () => this.#path.restartIce();
    addEventListener("online", restart);
    this.#unsubscribe.push(() => removeEventListener("online", restart));
  }

  #serially(task: () => Promise<void>): void {
    this.#inbound = this.#inbound.then(task).then(() => {}, (error) => console.error(error));
  }

  get role(): Role {
    return this.#options.role;
  }

  /** Seals and sends a new message; null when it went, else why it cannot be sent. */
  send(text: string, re?: string): SendRefusal | null {
    const trimmed = text.trim();
    if (!hasVisibleText(trimmed)) return "invisible";
    if (charCount(trimmed) > this.#options.charLimit) return "too_long";
    if (!this.canSend.peek()) return "not_ready";
    this.#outbox.send(trimmed, re);
    this.setTyping(false);
    return null;
  }

  /** Sends one of my messages marked failed again. */
  retry(id: string): void {
    this.#outbox.retry(id);
  }

  /** Deletes one of my own messages from both screens. */
  delete(id: string): void {
    this.#outbox.delete(id);
  }

  /** Tells the other side whether I am typing (not queued: stale typing news is worthless). */
  setTyping(on: boolean): void {
    if (this.secured.peek()) this.#transmit({ t: "typing", on });
  }

  /** This person compared the codes and they match; the other side hears it as a claim. */
  confirmVerified(): void {
    if (!this.secured.peek()) return;
    this.verified.value = true;
    this.#transmit({ t: "verified" });
  }

  /** Forgets everything: messages, keys, the direct link and the subscriptions. */
  dispose(): void {
    this.#disposed = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#path.close();
    this.#inbox.clear();
    this.#keys.stop();
    this.#outbox.clear();
    this.#channel = null;
    batch(() => {
      this.#conversation.clear();
      this.secured.value = false;
      this.safetyCode.value = null;
    });
  }

  async #handshake(payload: unknown): Promise<void> {
    if (!this.#halted) await this.#keys.receive(payload);
  }

  /** Stopped for good: disposed, or a check failed. */
  get #halted(): boolean {
    return this.#disposed || (this.failure.peek() !== null && !this.#stalled);
  }

  #unstall(): void {
    if (this.#stalled) this.failure.value = null;
    this.#stalled = false;
  }

  async #presence(present: boolean): Promise<void> {
    if (this.#halted) return;
    if (this.started.peek()) this.#conversation.addNote(present ? "back" : "away", Date.now());
    if (!present) {
      // The other side (or my socket) went away: its keys and link are gone with it.
      this.#unstall();
      this.#channel = null;
      this.#path.away();
      batch(() => {
        this.secured.value = false;
        this.#inbox.clear();
      });
    }
    await this.#keys.presence(present);
  }

  #secured(channel: SecureChannel, safetyCode: SafetyCode): void {
    this.#channel = channel;
    const before = this.safetyCode.peek();
    batch(() => {
      // New keys after a reconnection mean a new code: the conversation says so.
      if (before && before.digits !== safetyCode.digits) {
        this.#conversation.addNote("code_changed", Date.now());
      } else if (!this.started.peek()) this.#conversation.addNote("joined", Date.now());
      this.#unstall();
      this.safetyCode.value = safetyCode;
      this.secured.value = true;
      this.started.value = true;
      // Codes changed with the keys: a comparison made for the old ones proves nothing now.
      this.verified.value = false;
      this.peerVerified.value = false;
    });
    this.#path.secured();
    for (const data of this.#early.take(this.#keys.id ?? "")) {
      this.#serially(() => this.#envelope(data));
    }
    this.#inbox.announceHeld();
    this.#outbox.flush();
  }

  async #transmit(wire: ChatWire): Promise<void> {
    const channel = this.#channel;
    const hid = this.#keys.id;
    if (!channel || !hid) return; // Stays in the outbox (if queued) until the next handshake.
    const data = `${hid}.${await channel.seal(padded(wire))}`;
    if (!this.#path.send(data)) this.#options.port.send({ type: "relay", payload: data });
  }

  async #envelope(data: unknown): Promise<void> {
    if (this.#halted || typeof data !== "string") return;
    const dot = data.indexOf(".");
    const channel = this.#channel;
    const hid = data.slice(0, dot);
    // Sealed under an older handshake: its sender re-sends what matters under the current one.
    if (dot < 0 || hid !== this.#keys.id) return;
    if (!channel) return this.#early.park(hid, data);
    let wire: ChatWire | null;
    try {
      wire = parseWire(await channel.open(data.slice(dot + 1)), this.#options.charLimit);
    } catch (error) {
      // A duplicate or a very late copy proves nothing bad; its original was handled (or re-sent).
      if (error instanceof CryptoCheckError && QUIET_REASONS.has(error.reason)) return;
      this.#fail(error, "A message failed its integrity check.");
      return;
    }
    if (wire) this.#inbox.receive(wire);
  }

  #fail(error: unknown, what: string, advice = STOPPED): void {
    if (error && !(error instanceof CryptoCheckError)) console.error(error);
    this.#stalled = false;
    this.failure.value = `${what} ${advice}`;
    this.#keys.stop();
    this.#channel = null;
    this.#outbox.clear();
    this.#path.close();
    this.secured.value = false;
  }
}
