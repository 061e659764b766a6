/**
 * One encrypted conversation between the two seats of a room.
 *
 * Keys: each (re)connection of either side runs a fresh handshake (client/crypto) through the
 * socket's `signal` frames, sealed under the link secret. Its id ("hid") tags everything that
 * depends on it: a direct link built for it and every envelope sealed under it, so leftovers from
 * an older handshake are dropped quietly while a failed check on the current one stops the chat.
 *
 * Path: envelopes go over the WebRTC data channel when it is open and through the server's relay
 * otherwise; the path signal says which. Messages stay in an outbox until the peer acknowledges
 * them, and are re-sent under the next handshake after a reconnect (or when the person presses
 * "Retry" on one marked failed); conversation.ts shows each once, in its sender's order.
 *
 * What the server relays shows it little: every signal has the same outer type ("sealed"; what
 * kind it is travels inside the seal) and everything sealed is padded to a size bucket
 * (padding.ts), so it cannot pick out WebRTC signals to force the relay, nor tell typing from text.
 *
 * Verification: `verified` is this person's own "The codes match" and nothing else can set it;
 * the peer's claim to have compared is only `peerVerified`, shown as their claim.
 *
 * Nothing here is written to any storage: dispose() forgets the conversation and the keys.
 */
import { batch, computed, signal } from "@preact/signals-core";
// Single modules rather than crypto/mod.ts, whose re-exports include code the browser never runs.
import { CryptoCheckError } from "../crypto/errors.ts";
import { Handshake } from "../crypto/handshake.ts";
import { type HandshakeMessage, parseHandshakeMessage } from "../crypto/handshake_messages.ts";
import type { SafetyCode } from "../crypto/safety_code.ts";
import type { SecureChannel } from "../crypto/secure_channel.ts";
import { SignalSealer } from "../crypto/signal_sealer.ts";
import { Conversation } from "./conversation.ts";
import { Outbox } from "./outbox.ts";
import { padded } from "./padding.ts";
import { type LinkSignal, PeerLink, webrtcAvailable } from "./peer_link.ts";
import { hasVisibleText } from "./text_rules.ts";
import { charCount, type ChatWire, parseWire } from "./wire.ts";

export type { ChatMessage } from "./conversation.ts";

import type { Role } from "../../contract/session.ts";
export type ChatPath = "connecting" | "direct" | "relayed";

/** What a ChatSession needs from the room's socket (client/room_model.ts provides it). */
export interface SignalTransport {
  sendSignal(signalType: string, payload: unknown): void;
  sendRelay(payload: string): void;
  onSignal(fn: (signalType: string, payload: unknown) => void): () => void;
  onRelay(fn: (payload: string) => void): () => void;
  /** Called with true when both seats are connected, false when either socket is gone. */
  onPeerPresence(fn: (present: boolean) => void): () => void;
}

export interface ChatSessionOptions {
  token: string;
  role: Role;
  linkSecret: Uint8Array | null;
  iceServers: RTCIceServer[];
  charLimit: number;
  transport: SignalTransport;
  /** How long a message may go unacknowledged before it reads "failed" (default 15 s). */
  sendTimeoutMs?: number;
}

/** Why send() refused a text, for the person; null when it went. */
export type SendRefusal = "invisible" | "too_long" | "not_ready";

/** The one signal type the server sees; what kind of signal it is travels inside the seal. */
export const SEALED_SIGNAL = "sealed";

const TYPING_IDLE_MS = 5000;
const HANDSHAKE_RETRY_MS = 4000;
/**
 * The host starts a handshake whenever it sees the guest arrive, so the guest asks for one only
 * when none has completed after this long (its commit was lost, or the host missed the arrival).
 * Asking at once would make the host start over on every join.
 */
const FIRST_HELLO_MS = 1500;
const MAX_PARKED_SIGNALS = 64;
/** How long the data channel may take to open before the path reads "Relayed". */
const DIRECT_TIMEOUT_MS = 3000;
const QUIET_REASONS = new Set(["replay", "too_old"]);
/** Longer than any honest exchange (a few relayed round trips): past it, say so instead of waiting. */
const KEY_EXCHANGE_TIMEOUT_MS = 10_000;
const STOPPED = "The chat was stopped to protect you; start a new token.";
const SEND_TIMEOUT_MS = 15_000;

export class ChatSession {
  readonly #conversation = new Conversation();
  readonly messages = this.#conversation.messages;
  readonly path = signal<ChatPath>("connecting");
  readonly secured = signal(false);
  readonly safetyCode = signal<SafetyCode | null>(null);
  /** This person compared the codes and pressed "The codes match" (for the current keys). */
  readonly verified = signal(false);
  /** The other side says its person did: their claim, which this side cannot check. */
  readonly peerVerified = signal(false);
  readonly peerTyping = signal(false);
  /**
   * A failed security check: the chat is stopped and this says why. Also a key exchange taking
   * longer than it should, which is said but not fatal: it clears once the exchange completes.
   */
  readonly failure = signal<string | null>(null);
  /** Set by the first completed handshake: from then on messages queue while the peer is away. */
  readonly started = signal(false);
  readonly canSend = computed(() => this.started.value && this.failure.value === null);

  #sealer: Promise<SignalSealer>;
  #handshake: Handshake | null = null;
  #channel: SecureChannel | null = null;
  #link: PeerLink | null = null;
  #directTimer: ReturnType<typeof setTimeout> | undefined;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #keyTimer: ReturnType<typeof setTimeout> | undefined;
  /** The failure shown is the slow key exchange, not a stop. */
  #stalled = false;
  readonly #outbox: Outbox;
  readonly #unsubscribe: (() => void)[] = [];
  #disposed = false;
  /** Link signals that arrived before their handshake (see #parkLinkSignal). */
  #parked: { hid: string; signal: LinkSignal }[] = [];
  /** Incoming frames are handled one at a time, in arrival order (handshakes depend on it). */
  #inbound: Promise<void> = Promise.resolve();

  readonly #options: ChatSessionOptions;

  constructor(options: ChatSessionOptions) {
    this.#options = options;
    this.#outbox = new Outbox(
      this.#conversation,
      (wire) => this.#transmit(wire),
      options.sendTimeoutMs ?? SEND_TIMEOUT_MS,
    );
    this.#sealer = SignalSealer.create(options.token, options.linkSecret);
    this.#sealer.catch((error) =>
      this.#fail(
        error,
        "This browser could not load the encryption code, so the chat cannot start.",
        "Check the connection and reload the page, or open the https address.",
      )
    );
    const { transport } = options;
    this.#unsubscribe.push(
      transport.onPeerPresence((present) => this.#serially(() => this.#presence(present))),
      transport.onSignal((type, payload) => this.#serially(() => this.#signal(type, payload))),
      transport.onRelay((payload) => this.#serially(() => this.#envelope(payload))),
    );
    // A network change (Wi-Fi to mobile, say) invalidates the direct path's candidates.
    const restart = () => this.#link?.restartIce();
    addEventListener("online", restart);
    this.#unsubscribe.push(() => removeEventListener("online", restart));
  }

  #serially(task: () => unknown): void {
    this.#inbound = this.#inbound.then(task).then(
      () => {},
      (error) => console.error(error),
    );
  }

  get role(): Role {
    return this.#options.role;
  }

  /** Seals and sends a new message; null when it went, else why it cannot be sent. */
  send(text: string): SendRefusal | null {
    const trimmed = text.trim();
    if (!hasVisibleText(trimmed)) return "invisible";
    if (charCount(trimmed) > this.#options.charLimit) return "too_long";
    if (!this.canSend.peek()) return "not_ready";
    this.#outbox.send(trimmed);
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
    this.#resetLink();
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#keyTimer);
    this.#outbox.clear();
    this.#handshake = null;
    this.#channel = null;
    batch(() => {
      this.#conversation.clear();
      this.secured.value = false;
      this.safetyCode.value = null;
      this.peerTyping.value = false;
    });
  }

  // --- keys -------------------------------------------------------------------------------------

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
    if (!present) {
      // The other side (or my socket) went away: its keys and link are gone with it.
      clearTimeout(this.#retryTimer);
      clearTimeout(this.#keyTimer);
      this.#unstall();
      this.#handshake = null;
      this.#channel = null;
      this.#resetLink();
      batch(() => {
        this.secured.value = false;
        this.path.value = "connecting";
        this.peerTyping.value = false;
      });
      return;
    }
    clearTimeout(this.#keyTimer);
    this.#keyTimer = setTimeout(() => {
      if (this.#halted || this.secured.peek()) return;
      // Said, not fatal: a frozen background tab or a slow network may still catch up.
      this.#stalled = true;
      this.failure.value = "The key exchange has not finished after 10 seconds. Check that the " +
        "other person still has the chat open and both devices are online; it keeps trying.";
    }, KEY_EXCHANGE_TIMEOUT_MS);
    if (this.#options.role === "host") await this.#startHandshake();
    else this.#askForHandshakeAfter(FIRST_HELLO_MS);
  }

  /**
   * The guest asks the host for a fresh handshake, and asks again while none completes: a frame
   * lost while either socket was reconnecting must not leave the two without keys.
   */
  #askForHandshakeAfter(delayMs: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (this.#halted || this.secured.peek()) return;
      this.#serially(async () => {
        await this.#sendHandshake({ kind: "hello", hid: "" });
        this.#askForHandshakeAfter(HANDSHAKE_RETRY_MS);
      });
    }, delayMs);
  }

  async #startHandshake(): Promise<void> {
    const handshake = await Handshake.create({
      role: this.#options.role,
      token: this.#options.token,
      linkSecret: this.#options.linkSecret,
    });
    if (this.#disposed) return;
    this.#adopt(handshake);
    // Awaited one by one: a later commit overtaking an earlier one would strand the guest.
    for (const message of await handshake.start()) await this.#sendHandshake(message);
  }

  /** Makes `handshake` the current one, with a fresh direct link tied to it. */
  #adopt(handshake: Handshake): void {
    this.#handshake = handshake;
    this.#channel = null;
    this.secured.value = false;
    this.path.value = "connecting";
    this.#resetLink();
    if (webrtcAvailable()) {
      const hid = handshake.id;
      this.#link = new PeerLink(this.#options.iceServers, this.#options.role === "guest", {
        signal: (message) => this.#sendLinkSignal(hid, message),
        open: () => this.#updatePath(),
        message: (data) => this.#serially(() => this.#envelope(data)),
      });
      const link = this.#link;
      const early = this.#parked.filter((parked) => parked.hid === hid);
      for (const parked of early) this.#serially(() => link.receive(parked.signal));
    }
    this.#parked = [];
  }

  /** Handshake and link signals alike: one outer type, padded, the kind inside the seal. */
  async #sendSignal(value: object): Promise<void> {
    const sealer = await this.#sealer;
    this.#options.transport.sendSignal(SEALED_SIGNAL, await sealer.seal(padded(value)));
  }

  #sendHandshake(message: HandshakeMessage): Promise<void> {
    return this.#sendSignal(message);
  }

  #sendLinkSignal(hid: string, message: LinkSignal): Promise<void> {
    return this.#sendSignal({ hid, ...message });
  }

  async #signal(_signalType: string, payload: unknown): Promise<void> {
    if (this.#halted || typeof payload !== "string") return;
    let value: unknown;
    try {
      value = await (await this.#sealer).open(payload);
    } catch (error) {
      this.#fail(error, "A signalling message failed its check.");
      return;
    }
    if (typeof value !== "object" || value === null) return;
    // The filler is not part of the message (padding.ts).
    const { p: _, ...message } = value as { kind?: unknown; hid?: unknown; p?: unknown };
    if (typeof message.hid !== "string") return;
    if (message.kind !== "description" && message.kind !== "candidate") {
      await this.#handshakeMessage(parseHandshakeMessage(message));
    } else if (message.hid === this.#handshake?.id) {
      await this.#link?.receive(message as LinkSignal);
    } else this.#parkLinkSignal(message.hid, message as LinkSignal);
  }

  /**
   * The host's offer can overtake its commit (they are sealed and sent concurrently), so a link
   * signal for a handshake not adopted yet waits here until it is, instead of being lost.
   */
  #parkLinkSignal(hid: string, signal: LinkSignal): void {
    if (this.#parked.length >= MAX_PARKED_SIGNALS) this.#parked.shift();
    this.#parked.push({ hid, signal });
  }

  async #handshakeMessage(message: HandshakeMessage): Promise<void> {
    try {
      if (message.kind === "hello") {
        if (this.#options.role === "host") await this.#startHandshake();
        return;
      }
      let handshake = this.#handshake;
      if (message.hid !== handshake?.id) {
        // Only the host opens a handshake (with a commit); the guest follows its newest one.
        if (this.#options.role !== "guest" || message.kind !== "commit") return;
        handshake = await Handshake.create({
          role: "guest",
          token: this.#options.token,
          linkSecret: this.#options.linkSecret,
        });
        handshake.adoptId(message.hid);
        this.#adopt(handshake);
      }
      const replies = await handshake.receive(message);
      for (const reply of replies) await this.#sendHandshake(reply);
      if (handshake.done && this.#channel === null && handshake === this.#handshake) {
        const { channel, safetyCode } = handshake.result();
        this.#channel = channel;
        batch(() => {
          this.#unstall();
          this.safetyCode.value = safetyCode;
          this.secured.value = true;
          this.started.value = true;
          // Codes changed with the keys: a comparison made for the old ones proves nothing now.
          this.verified.value = false;
          this.peerVerified.value = false;
        });
        this.#updatePath();
        this.#outbox.flush();
      }
    } catch (error) {
      this.#fail(error, "The key exchange failed its checks.");
    }
  }

  // --- envelopes --------------------------------------------------------------------------------

  async #transmit(wire: ChatWire): Promise<void> {
    const channel = this.#channel;
    const hid = this.#handshake?.id;
    if (!channel || !hid) return; // Stays in the outbox (if queued) until the next handshake.
    const data = `${hid}.${await channel.seal(padded(wire))}`;
    if (this.#link?.send(data)) return;
    this.#options.transport.sendRelay(data);
  }

  async #envelope(data: string): Promise<void> {
    if (this.#halted) return;
    const dot = data.indexOf(".");
    const hid = data.slice(0, dot);
    const channel = this.#channel;
    // Sealed under an older handshake: its sender re-sends what matters under the current one.
    if (dot < 0 || !channel || hid !== this.#handshake?.id) return;
    let wire: ChatWire | null;
    try {
      wire = parseWire(await channel.open(data.slice(dot + 1)), this.#options.charLimit);
    } catch (error) {
      // A duplicate or a very late copy proves nothing bad; its original was handled (or re-sent).
      if (error instanceof CryptoCheckError && QUIET_REASONS.has(error.reason)) return;
      this.#fail(error, "A message failed its integrity check.");
      return;
    }
    if (wire) this.#receive(wire);
  }

  #receive(wire: ChatWire): void {
    switch (wire.t) {
      case "msg":
        if (this.#conversation.addTheirs(wire)) this.peerTyping.value = false;
        this.#transmit({ t: "ack", of: "msg", id: wire.id });
        return;
      case "del":
        this.#conversation.removeTheirs(wire.id, wire.e, wire.n);
        this.#transmit({ t: "ack", of: "del", id: wire.id });
        return;
      case "ack":
        this.#outbox.acknowledged(wire.of, wire.id);
        return;
      case "typing":
        this.peerTyping.value = wire.on;
        clearTimeout(this.#typingTimer);
        if (wire.on) {
          this.#typingTimer = setTimeout(() => this.peerTyping.value = false, TYPING_IDLE_MS);
        }
        return;
      case "verified":
        // Their claim only: it never marks this side verified.
        this.peerVerified.value = true;
        return;
    }
  }

  // --- path -------------------------------------------------------------------------------------

  #updatePath(): void {
    clearTimeout(this.#directTimer);
    if (!this.#channel) return;
    if (this.#link?.isOpen) {
      this.path.value = "direct";
      return;
    }
    if (!this.#link) {
      this.path.value = "relayed";
      return;
    }
    // Give the data channel a moment before calling it relayed; messages use the relay meanwhile.
    if (this.path.peek() === "direct") this.path.value = "relayed";
    this.#directTimer = setTimeout(() => {
      if (!this.#link?.isOpen && this.#channel) this.path.value = "relayed";
    }, DIRECT_TIMEOUT_MS);
  }

  #resetLink(): void {
    clearTimeout(this.#directTimer);
    this.#link?.close();
    this.#link = null;
  }

  #fail(error: unknown, what: string, advice = STOPPED): void {
    if (error && !(error instanceof CryptoCheckError)) console.error(error);
    this.#stalled = false;
    this.failure.value = `${what} ${advice}`;
    this.#handshake = null;
    this.#channel = null;
    this.#outbox.clear();
    this.#resetLink();
    this.secured.value = false;
  }
}
