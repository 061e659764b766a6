/**
 * The last step of a handshake (handshake.ts), apart so it can be read on its own: ECDH with the
 * peer's key, a transcript over everything both sides said, then the session keys, the two
 * directions' secure channel and the safety code.
 */
import type { Bytes } from "./encoding.ts";
import { type EphemeralKey, sharedSecret } from "./key_agreement.ts";
import { type HandshakeRole, transcriptHash } from "./transcript.ts";
import { deriveSessionKeys, type SessionKeys } from "./key_schedule.ts";
import { SecureChannel } from "./secure_channel.ts";
import type { SafetyCode } from "./safety_code.ts";

/**
 * The safety code's symbol list is only needed once keys exist, so it is a chunk of its own that
 * the first handshake starts fetching (`preloadSafetyCodes`): it arrives while the messages go
 * back and forth.
 */
let safetyCodes: Promise<typeof import("./safety_code.ts")> | undefined;

export function preloadSafetyCodes(): void {
  safetyCodes ??= import("./safety_code.ts");
}

export interface DerivedKeys {
  keys: SessionKeys;
  channel: SecureChannel;
  safetyCode: SafetyCode;
}

export async function deriveHandshakeKeys(input: {
  role: HandshakeRole;
  token: string;
  hid: string;
  linkSecret: Uint8Array | null;
  hostPublic: Bytes;
  guestPublic: Bytes;
  nonce: Bytes;
  own: EphemeralKey;
}): Promise<DerivedKeys> {
  const { role, token, own, hostPublic, guestPublic } = input;
  const peer = role === "host" ? guestPublic : hostPublic;
  const secret = await sharedSecret(own, peer);
  const transcript = await transcriptHash({
    token,
    hid: input.hid,
    algorithm: own.algorithm,
    hostPublic,
    guestPublic,
    nonce: input.nonce,
  });
  const keys = await deriveSessionKeys(secret, input.linkSecret, transcript);
  const host = role === "host";
  preloadSafetyCodes();
  return {
    keys,
    channel: new SecureChannel({
      token,
      role,
      sendKey: host ? keys.hostToGuest : keys.guestToHost,
      receiveKey: host ? keys.guestToHost : keys.hostToGuest,
    }),
    safetyCode: (await safetyCodes!).safetyCodeFrom(keys.safety),
  };
}
