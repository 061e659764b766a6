import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../config.ts";
import { startupLines } from "../startup_urls.ts";
import { networkAddresses } from "./machine_names.ts";

Deno.test("[config] TLS variables: off by default, files, auto, and the redirect port", () => {
  assert.deepEqual(loadConfig({}).tls, { kind: "off" });
  assert.equal(loadConfig({}).httpRedirectPort, null);
  assert.deepEqual(loadConfig({ CHAT_TLS: "auto", CHAT_HTTP_REDIRECT_PORT: "8080" }).tls, {
    kind: "auto",
  });
  assert.equal(
    loadConfig({ CHAT_TLS: "AUTO", CHAT_HTTP_REDIRECT_PORT: "8080" }).httpRedirectPort,
    8080,
  );
  assert.deepEqual(loadConfig({ CHAT_TLS_CERT_FILE: "c.pem", CHAT_TLS_KEY_FILE: "k.pem" }).tls, {
    kind: "files",
    certFile: "c.pem",
    keyFile: "k.pem",
  });
  for (
    const [env, variable] of [
      [{ CHAT_TLS: "yes" }, "CHAT_TLS"],
      [{ CHAT_TLS_CERT_FILE: "c.pem" }, "CHAT_TLS_KEY_FILE"],
      [{ CHAT_TLS_KEY_FILE: "k.pem" }, "CHAT_TLS_CERT_FILE"],
      [{ CHAT_TLS: "auto", CHAT_TLS_CERT_FILE: "c.pem", CHAT_TLS_KEY_FILE: "k.pem" }, "CHAT_TLS"],
      [{ CHAT_HTTP_REDIRECT_PORT: "80" }, "CHAT_HTTP_REDIRECT_PORT"],
      [{ CHAT_TLS: "auto", CHAT_HTTP_REDIRECT_PORT: "http" }, "CHAT_HTTP_REDIRECT_PORT"],
    ] as [Record<string, string>, string][]
  ) {
    assert.throws(
      () => loadConfig(env),
      (e) => e instanceof ConfigError && e.message.startsWith(`${variable}=`),
      JSON.stringify(env),
    );
  }
});

Deno.test("[start] start-up lists this machine and every network address, https with TLS", () => {
  const addresses = networkAddresses().filter((a) => !a.includes(":"));
  const lines = startupLines("0.0.0.0", 8443, true).join("\n");
  assert.match(lines, /On this machine: +https:\/\/localhost:8443\//);
  for (const address of addresses) assert.ok(lines.includes(`https://${address}:8443/`), lines);
  assert.ok(!lines.includes("127.0.0.1"), "loopback is not a network address");
  assert.ok(!lines.includes("Plain HTTP"));
  const plain = startupLines("192.168.1.9", 8000, false).join("\n");
  assert.match(plain, /On your network: +http:\/\/192\.168\.1\.9:8000\//);
  assert.match(plain, /CHAT_TLS=auto/);
  assert.deepEqual(startupLines("127.0.0.1", 8000, false), [
    "ChatOrbit is running.",
    "  On this machine:  http://localhost:8000/",
  ]);
});
