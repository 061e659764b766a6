/** The socket protocol's client frames, validated on receipt (contract: WebSocket section). */
import { z } from "zod";
import {
  CLIENT_FRAME_TYPES,
  type ClientFrame as ClientFrameContract,
} from "../../contract/frames.ts";
import { MAX_FRAME_BYTES, MAX_SIGNAL_TYPE_CHARS } from "../../contract/limits.ts";

export { MAX_FRAME_BYTES };

const authFrame = z.object({
  type: z.literal("auth"),
  participant_id: z.string().min(1).max(128),
});

// parseClientFrame checks relay and signal frames by hand too: keep the two in step.
const signalFrame = z.object({
  type: z.literal("signal"),
  signalType: z.string().min(1).max(MAX_SIGNAL_TYPE_CHARS),
  // Opaque: relayed as it came, never inspected.
  payload: z.unknown().refine((value) => value !== undefined, "payload is required"),
});

const relayFrame = z.object({
  type: z.literal("relay"),
  payload: z.string().min(1),
});

const pingFrame = z.object({ type: z.literal("ping") });

const clientFrame = z.discriminatedUnion("type", [
  authFrame,
  signalFrame,
  relayFrame,
  pingFrame,
]) satisfies z.ZodType<ClientFrameContract>;
export type ClientFrame = z.infer<typeof clientFrame>;
type RelayFrame = z.infer<typeof relayFrame>;
type SignalFrame = z.infer<typeof signalFrame>;

export type FrameError = { code: string; message: string };

const INVALID_JSON: FrameError = Object.freeze({
  code: "invalid_json",
  message: "Frames must be JSON objects.",
});
const NOT_AN_OBJECT: FrameError = Object.freeze({
  code: "invalid_frame",
  message: "Frames must be JSON objects with a type.",
});
const UNKNOWN_TYPE: FrameError = Object.freeze({
  code: "unknown_type",
  message: `type must be one of ${CLIENT_FRAME_TYPES.map((type) => `"${type}"`).join(", ")}.`,
});

/**
 * Parses one text frame, or says what is wrong with it in the contract's error-frame terms.
 *
 * `relay` and `signal` are nearly every frame a socket sends, so a well-formed one is checked by
 * hand and comes back as parsed, without zod's copy (keys outside the schema are left on it; the
 * hub reads only the schema's fields). zod still checks `auth` and `ping`, and words the error for
 * a malformed relay or signal frame, so the messages are the schema's either way.
 */
export function parseClientFrame(text: string): ClientFrame | FrameError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return NOT_AN_OBJECT;
  const frame = value as Record<string, unknown>;
  const type = frame.type;
  switch (type) {
    case "relay": {
      const payload = frame.payload;
      if (typeof payload === "string" && payload.length > 0) return frame as RelayFrame;
      break;
    }
    case "signal": {
      const signalType = frame.signalType;
      if (
        typeof signalType === "string" && signalType.length > 0 &&
        signalType.length <= MAX_SIGNAL_TYPE_CHARS &&
        frame.payload !== undefined
      ) return frame as SignalFrame;
      break;
    }
    case "auth":
    case "ping":
      break;
    default:
      return UNKNOWN_TYPE;
  }
  const parsed = clientFrame.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join(".") || "frame";
    return { code: "invalid_frame", message: `${type} frame: ${field}: ${issue.message}` };
  }
  return parsed.data;
}

/**
 * Whether parseClientFrame refused the frame. A frame always has a string `type` and an error never
 * does; testing for `code` would not do, as a relay frame may carry any extra key.
 */
export function isFrameError(result: ClientFrame | FrameError): result is FrameError {
  return typeof (result as { type?: unknown }).type !== "string";
}

/** Whether a text frame is over the 64 KiB cap, without encoding the common short frame. */
export function isOversized(text: string): boolean {
  // Each UTF-16 unit is at most 3 UTF-8 bytes, so short strings cannot exceed the cap.
  if (text.length * 3 <= MAX_FRAME_BYTES) return false;
  return new TextEncoder().encode(text).byteLength > MAX_FRAME_BYTES;
}
