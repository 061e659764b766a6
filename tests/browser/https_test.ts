/**
 * A chat over the built-in HTTPS (`CHAT_TLS=auto`) in Chromium, which trusts the server's key
 * through `--ignore-certificate-errors-spki-list` (as a phone would after installing the
 * authority). On a secure origin the fallback crypto chunk is never fetched.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openDatabase } from "../../server/db/database.ts";
import { ManualClock } from "../../server/clock.ts";
import { serve } from "../../server/serve.ts";
import { x509 } from "../../server/tls/x509.ts";
import { testConfig } from "../helpers.ts";
import {
  BROWSER_TEST,
  converse,
  ensureTestBuild,
  joinRoom,
  mintPath,
  record,
  safetyCode,
  withBrowser,
} from "./fixtures.ts";

const options = BROWSER_TEST;

async function spkiHash(certPem: string): Promise<string> {
  const spki = new x509.X509Certificate(certPem).publicKey.rawData;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", spki));
  return btoa(String.fromCharCode(...digest));
}

Deno.test("[tls] two Chromium contexts chat over CHAT_TLS=auto HTTPS", options, async () => {
  await ensureTestBuild();
  const dir = await Deno.makeTempDir();
  const config = testConfig({ CHAT_TLS: "auto", CHAT_DATABASE_URL: `sqlite:${join(dir, "c.db")}` });
  const server = await serve(
    config,
    await openDatabase(config.sqlitePath),
    new ManualClock(Date.now()),
    {
      quiet: true,
      handleSignals: false,
    },
  );
  try {
    const hash = await spkiHash(await Deno.readTextFile(join(dir, "tls/server.crt")));
    await using browser = await withBrowser({
      lan: true,
      args: [`--ignore-certificate-errors-spki-list=${hash}`],
    });
    using client = Deno.createHttpClient({
      caCerts: [await Deno.readTextFile(join(dir, "tls/ca.crt"))],
    });
    const link = server.url + await mintPath(server.url, { client });
    const host = await browser.page();
    const guest = await browser.page();
    const seen = [host, guest].map(record);
    await joinRoom(host, link);
    await joinRoom(guest, link);
    assert.equal(await host.evaluate(() => location.protocol), "https:");
    await converse(host, guest);
    assert.equal(await safetyCode(host), await safetyCode(guest));
    for (const { scripts } of seen) {
      assert.ok(scripts.length > 0);
      assert.ok(!scripts.some((url) => /noble|nist/.test(url)), "no fallback on a secure origin");
    }
    assert.equal(await host.locator("#insecure-origin").count(), 0);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
