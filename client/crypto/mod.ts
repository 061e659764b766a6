/**
 * ChatOrbit end-to-end crypto, pure WebCrypto (runs in browsers and in Deno).
 *
 * Flow: the minting browser puts `newLinkSecret()` in the share link's fragment; each seat parses
 * it with `parseLinkSecret(location.hash)`, wraps all signalling in a `SignalSealer`, runs a
 * `Handshake` over it (client/chat/keys.ts keeps the restart rules), and then sends every chat
 * message through the resulting
 * `SecureChannel`. The `SafetyCode` is what the two people compare.
 */
export { fromBase64Url, toBase64Url } from "./encoding.ts";
export { CryptoCheckError, type CryptoCheckReason } from "./errors.ts";
export { LINK_SECRET_BYTES, newLinkSecret, parseLinkSecret } from "./link_secret.ts";
export { SignalSealer } from "./signal_sealer.ts";
export { KEY_ALGORITHMS, type KeyAlgorithm, supportedAlgorithms } from "./key_agreement.ts";
export {
  Handshake,
  type HandshakeMessage,
  type HandshakeOptions,
  type HandshakeResult,
  type HandshakeRole,
} from "./handshake.ts";
export { parseHandshakeMessage } from "./handshake_messages.ts";
export { SecureChannel, type SecureChannelOptions } from "./secure_channel.ts";
export { REPLAY_WINDOW } from "./replay_window.ts";
export { type SafetyCode, safetyCodeFrom } from "./safety_code.ts";
export { SAFETY_SYMBOLS } from "./safety_words.ts";
