/** Test helpers: wire two handshakes together in memory. Not exported by mod.ts. */
import { Handshake, type HandshakeOptions } from "./handshake.ts";
import type { HandshakeMessage } from "./handshake_messages.ts";
import type { KeyAlgorithm } from "./key_agreement.ts";
import { newLinkSecret, parseLinkSecret } from "./link_secret.ts";
import { SignalSealer } from "./signal_sealer.ts";
import type { HandshakeRole } from "./transcript.ts";

export interface Wire {
  /** Rewrites (or drops, with null) a message on its way to `to`. */
  tamper?: (message: HandshakeMessage, to: HandshakeRole) => HandshakeMessage | null;
  /** Sealers for [host, guest]; each message is sealed by its sender and opened by its receiver. */
  sealers?: [SignalSealer, SignalSealer];
}

/** Runs host.start() and guest.start(), then delivers messages until none are left. */
export async function exchange(host: Handshake, guest: Handshake, wire: Wire = {}) {
  const kinds: string[] = [];
  const queue: [HandshakeRole, HandshakeMessage][] = [
    ...(await host.start()).map((m) => ["guest", m] as [HandshakeRole, HandshakeMessage]),
    ...(await guest.start()).map((m) => ["host", m] as [HandshakeRole, HandshakeMessage]),
  ];
  while (queue.length > 0) {
    const [to, sent] = queue.shift()!;
    const message = wire.tamper ? wire.tamper(sent, to) : sent;
    if (message === null) continue;
    kinds.push(message.kind);
    const [hostSealer, guestSealer] = wire.sealers ?? [];
    const [from, into] = to === "guest" ? [hostSealer, guestSealer] : [guestSealer, hostSealer];
    const delivered = from && into
      ? await into.open(await from.seal(message))
      : JSON.parse(JSON.stringify(message));
    const replies = await (to === "guest" ? guest : host).receive(delivered);
    for (const reply of replies) queue.push([to === "guest" ? "host" : "guest", reply]);
  }
  return kinds;
}

export interface PairOptions {
  token?: string;
  linkSecret?: Uint8Array | null;
  hostAlgorithms?: KeyAlgorithm[];
  guestAlgorithms?: KeyAlgorithm[];
}

/** A host and a guest for one session, not yet started. */
export async function makePair(options: PairOptions = {}) {
  const base: Omit<HandshakeOptions, "role"> = {
    token: options.token ?? "tok_test",
    linkSecret: options.linkSecret === undefined
      ? parseLinkSecret(newLinkSecret())
      : options.linkSecret,
  };
  const host = await Handshake.create({
    ...base,
    role: "host",
    algorithms: options.hostAlgorithms,
  });
  const guest = await Handshake.create({
    ...base,
    role: "guest",
    algorithms: options.guestAlgorithms,
  });
  return { host, guest, ...base };
}

/** A host and a guest that completed a handshake. */
export async function connectedPair(options: PairOptions = {}) {
  const pair = await makePair(options);
  const kinds = await exchange(pair.host, pair.guest);
  return { ...pair, kinds, hostSide: pair.host.result(), guestSide: pair.guest.result() };
}
