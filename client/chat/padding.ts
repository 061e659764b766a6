/**
 * Size buckets for everything sealed (envelopes and signalling): the plaintext JSON gets a filler
 * field `p` that brings it to the next bucket, so the relay sees one of a few lengths instead of
 * each message's length, and a typing notice or an acknowledgement looks like a short message.
 * The true length is known only after opening; receivers ignore `p`.
 *
 * The largest bucket keeps a padded envelope, base64url-encoded in a relay frame, under the
 * server's 64 KiB frame limit; anything longer goes unpadded (it could not be relayed anyway).
 */
const BUCKETS = [256, 1024, 4096, 16384, 32768, 48000];
// `,"p":""` appended to a non-empty JSON object.
const FILLER_OVERHEAD = 7;
const encoder = new TextEncoder();

/** `value` plus a filler that makes its JSON exactly a bucket's size in UTF-8 bytes. */
export function padded<T extends object>(value: T): T {
  const size = encoder.encode(JSON.stringify(value)).length + FILLER_OVERHEAD;
  const bucket = BUCKETS.find((limit) => limit >= size);
  return bucket ? { ...value, p: "0".repeat(bucket - size) } : value;
}
