/**
 * The crypto module bundled for the browser, run in real Chromium: a full handshake over sealed
 * signals with X25519 and with negotiated P-256, then one message through the secure channel.
 * Guards against WebCrypto differences between Deno (where the unit tests run) and the browser.
 */
import assert from "node:assert/strict";
import { withBrowser } from "./browser/fixtures.ts";

async function bundleCrypto(): Promise<string> {
  const out = await Deno.makeTempFile({ suffix: ".js" });
  try {
    const entry = new URL("../client/crypto/mod.ts", import.meta.url).pathname;
    const { success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "browser", entry, "-o", out],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(success, new TextDecoder().decode(stderr));
    return await Deno.readTextFile(out);
  } finally {
    await Deno.remove(out);
  }
}

Deno.test("[crypto] bundled module runs a handshake in Chromium with X25519 and P-256", async () => {
  const bundle = await bundleCrypto();
  await using browser = await withBrowser();
  const page = await browser.page();
  // Served by interception, no socket: http://localhost is a secure context, as WebCrypto needs.
  await page.route(
    "http://localhost/**",
    (route) =>
      new URL(route.request().url()).pathname === "/crypto.js"
        ? route.fulfill({ contentType: "text/javascript", body: bundle })
        : route.fulfill({
          contentType: "text/html",
          body: "<!doctype html><title>crypto</title>",
        }),
  );
  await page.goto("http://localhost/");
  const out = await page.evaluate(async () => {
    const c = await import("/crypto.js");
    async function run(hostAlgorithms?: string[], guestAlgorithms?: string[]) {
      const linkSecret = c.parseLinkSecret(`#${c.newLinkSecret()}`);
      const sealer = await c.SignalSealer.create("tok", linkSecret);
      const make = (role: string, algorithms?: string[]) =>
        c.Handshake.create({ role, token: "tok", linkSecret, algorithms });
      const host = await make("host", hostAlgorithms);
      const guest = await make("guest", guestAlgorithms);
      const queue = (await host.start()).map((m: unknown) => ["guest", m]);
      while (queue.length > 0) {
        const [to, message] = queue.shift();
        const delivered = await sealer.open(await sealer.seal(message));
        for (const reply of await (to === "guest" ? guest : host).receive(delivered)) {
          queue.push([to === "guest" ? "host" : "guest", reply]);
        }
      }
      const h = host.result();
      const g = guest.result();
      return {
        algorithm: host.algorithm,
        sameCode: JSON.stringify(h.safetyCode) === JSON.stringify(g.safetyCode),
        echo: await g.channel.open(await h.channel.seal({ text: "hi" })),
      };
    }
    return {
      supported: await c.supportedAlgorithms(),
      x25519: await run(),
      p256: await run(["X25519", "P-256"], ["P-256"]),
    };
  });
  assert.deepEqual(out, {
    supported: ["X25519", "P-256"],
    x25519: { algorithm: "X25519", sameCode: true, echo: { text: "hi" } },
    p256: { algorithm: "P-256", sameCode: true, echo: { text: "hi" } },
  });
});
