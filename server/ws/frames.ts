/** The socket protocol's client frames, validated on receipt (contract: WebSocket section). */
import { z } from "zod";

export const MAX_FRAME_BYTES = 64 * 1024;

const authFrame = z.object({
  type: z.literal("auth"),
  participant_id: z.string().min(1).max(128),
});

const signalFrame = z.object({
  type: z.literal("signal"),
  signalType: z.string().min(1).max(64),
  // Opaque: relayed as it came, never inspected.
  payload: z.unknown().refine((value) => value !== undefined, "payload is required"),
});

const relayFrame = z.object({
  type: z.literal("relay"),
  payload: z.string().min(1),
});

const pingFrame = z.object({ type: z.literal("ping") });

export const clientFrame = z.discriminatedUnion("type", [
  authFrame,
  signalFrame,
  relayFrame,
  pingFrame,
]);
export type ClientFrame = z.infer<typeof clientFrame>;

export type FrameError = { code: string; message: string };

/** Parses one text frame, or says what is wrong with it in the contract's error-frame terms. */
export function parseClientFrame(text: string): ClientFrame | FrameError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { code: "invalid_json", message: "Frames must be JSON objects." };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { code: "invalid_frame", message: "Frames must be JSON objects with a type." };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !["auth", "signal", "relay", "ping"].includes(type)) {
    return {
      code: "unknown_type",
      message: 'type must be one of "auth", "signal", "relay", "ping".',
    };
  }
  const parsed = clientFrame.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join(".") || "frame";
    return { code: "invalid_frame", message: `${type} frame: ${field}: ${issue.message}` };
  }
  return parsed.data;
}

/** Whether a text frame is over the 64 KiB cap, without encoding the common short frame. */
export function isOversized(text: string): boolean {
  // Each UTF-16 unit is at most 3 UTF-8 bytes, so short strings cannot exceed the cap.
  if (text.length * 3 <= MAX_FRAME_BYTES) return false;
  return new TextEncoder().encode(text).byteLength > MAX_FRAME_BYTES;
}
