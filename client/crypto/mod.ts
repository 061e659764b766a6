/**
 * ChatOrbit end-to-end crypto, pure WebCrypto (runs in browsers and in Deno).
 *
 * Flow: the minting browser puts `newLinkSecret()` in the share link's fragment; each seat parses
 * it with `parseLinkSecret(location.hash)`, wraps all signalling in a `SignalSealer`, runs a
 * `Handshake` over it (client/chat/keys.ts keeps the restart rules), and then sends every chat
 * message through the resulting
 * `SecureChannel`. The `SafetyCode` is what the two people compare.
 *
 * The app imports each file directly; this module is the entry of the browser bundle that
 * tests/crypto_browser_test.ts runs, so it exports what that test calls.
 */
export { newLinkSecret, parseLinkSecret } from "./link_secret.ts";
export { SignalSealer } from "./signal_sealer.ts";
export { supportedAlgorithms } from "./key_agreement.ts";
export { Handshake } from "./handshake.ts";
