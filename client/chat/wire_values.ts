/** The checks every wire's fields share (wire.ts, file_wire.ts): ids and counts. */

const ID = /^[A-Za-z0-9_-]{8,40}$/;

/** A message, file or conversation id: 8-40 base64url characters. */
export const isId = (value: unknown): value is string =>
  typeof value === "string" && ID.test(value);

/** A whole number from 0 up. */
export const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
