/** Who is asking: the peer address, or with CHAT_TRUST_PROXY the proxy's record of it. */
import type { Context } from "hono";
import { getConnInfo } from "hono/deno";
import { addressKey } from "../domain/address_key.ts";

/**
 * The client's address. `X-Forwarded-For` is believed only behind a trusted proxy, and then only
 * its right-most entry: that is the one the proxy itself appended, the left ones are the client's
 * own claims and could be forged to open a fresh rate-limit allowance.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for");
    const hops = forwarded?.split(",").map((hop) => hop.trim()).filter(Boolean) ?? [];
    if (hops.length > 0) return hops[hops.length - 1];
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // app.request() in tests has no connection.
    return "unknown";
  }
}

/** What rate limits count this request by: its address, IPv6 cut to the /64 (see address_key). */
export function clientKey(c: Context, trustProxy: boolean): string {
  return addressKey(clientAddress(c, trustProxy));
}
