import assert from "node:assert/strict";
import { join } from "node:path";
import { ManualClock } from "../clock.ts";
import { localTls } from "./local_authority.ts";
import { RENEWAL_CHECK_MS, watchRenewal } from "./renewal_watch.ts";

Deno.test("[tls] a running server re-issues its certificate when an address changes or expiry nears", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const now = Date.now();
    let names = { dns: ["localhost"], addresses: ["192.0.2.10"] };
    const first = await localTls(dir, names, new Date(now));
    const lines: string[] = [];
    /** Runs one hourly check on a clock at `start` and returns what it reported. */
    const checkAt = async (start: number) => {
      const clock = new ManualClock(start);
      const heard = Promise.withResolvers<void>();
      const stop = watchRenewal(dir, clock, (line) => {
        lines.push(line);
        heard.resolve();
      }, () => names);
      clock.advance(RENEWAL_CHECK_MS);
      await heard.promise;
      stop();
      return lines.at(-1)!;
    };
    names = { dns: ["localhost"], addresses: ["192.0.2.77"] };
    assert.match(await checkAt(now), /addresses changed.*Restart ChatOrbit/);
    const renewed = await Deno.readTextFile(join(dir, "server.crt"));
    assert.notEqual(renewed, first.cert);
    assert.equal(await Deno.readTextFile(join(dir, "ca.crt")), first.authorityPem);
    // Within 30 days of the certificate's 825-day limit.
    assert.match(await checkAt(now + 800 * 86_400_000), /near expiry/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
