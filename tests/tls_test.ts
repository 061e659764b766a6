/**
 * Built-in HTTPS against real listeners: `CHAT_TLS=auto` (the local authority, /ca.crt, the
 * plain-HTTP redirect, a restart keeping the authority) and the operator's certificate files,
 * including the one-line error for a missing file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openDatabase } from "../server/db/database.ts";
import { ManualClock } from "../server/clock.ts";
import { serve } from "../server/serve.ts";
import { localTls } from "../server/tls/local_authority.ts";
import { x509 } from "../server/tls/x509.ts";
import { testConfig } from "./helpers.ts";

async function start(env: Record<string, string>) {
  const config = testConfig(env);
  const database = await openDatabase(config.sqlitePath);
  return await serve(config, database, new ManualClock(Date.now()), {
    quiet: true,
    handleSignals: false,
  });
}

Deno.test("[tls] CHAT_TLS=auto serves HTTPS from a local authority that a restart keeps", async () => {
  const dir = await Deno.makeTempDir();
  const env = {
    CHAT_TLS: "auto",
    CHAT_DATABASE_URL: `sqlite:${join(dir, "chat.db")}`,
    CHAT_HTTP_REDIRECT_PORT: "0",
  };
  try {
    const server = await start(env);
    let authority: string;
    try {
      // A phone that trusts nothing yet fetches the authority over the plain-HTTP port.
      const plain = `http://127.0.0.1:${server.redirectPort}`;
      const served = await fetch(`${plain}/ca.crt`);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get("content-type"), "application/x-x509-ca-cert");
      authority = await served.text();
      assert.match(authority, /^-----BEGIN CERTIFICATE-----/);
      const moved = await fetch(`${plain}/session/abc?x=1`, { redirect: "manual" });
      assert.equal(moved.status, 308);
      assert.equal(
        moved.headers.get("location"),
        `https://127.0.0.1:${server.port}/session/abc?x=1`,
      );
      await moved.body?.cancel();

      // Deno's client trusting only that authority reaches https://localhost.
      using client = Deno.createHttpClient({ caCerts: [authority] });
      const health = await fetch(`https://localhost:${server.port}/api/health`, { client });
      assert.equal(health.status, 200);
      await health.body?.cancel();
      const install = await fetch(`https://localhost:${server.port}/ca`, { client });
      assert.match(await install.text(), /Install it once on each device/);
      await assert.rejects(
        fetch(`https://localhost:${server.port}/api/health`),
        "untrusted by default",
      );

      const ca = new x509.X509Certificate(authority);
      const serverCert = new x509.X509Certificate(
        await Deno.readTextFile(join(dir, "tls/server.crt")),
      );
      assert.equal(serverCert.publicKey.algorithm.name, "ECDSA");
      const days = (serverCert.notAfter.getTime() - serverCert.notBefore.getTime()) / 86_400_000;
      assert.ok(days <= 825, `server certificate valid ${days} days`);
      assert.ok(await serverCert.verify({ publicKey: ca.publicKey, signatureOnly: true }));
      const names = serverCert.getExtension(x509.SubjectAlternativeNameExtension)!.names.toJSON();
      assert.ok(names.some((n) => n.type === "dns" && n.value === "localhost"));
      for (const name of ["ca.key", "server.key"]) {
        assert.equal((await Deno.stat(join(dir, "tls", name))).mode! & 0o777, 0o600, name);
      }
    } finally {
      await server.shutdown();
    }
    const again = await start(env);
    try {
      const served = await fetch(`http://127.0.0.1:${again.redirectPort}/ca.crt`);
      assert.equal(await served.text(), authority, "the same authority after a restart");
    } finally {
      await again.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[tls] the server speaks HTTPS with certificate files the operator provides", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A certificate made for the test (signed by a throwaway authority).
    const made = await localTls(join(dir, "made"), { dns: ["localhost"], addresses: [] });
    await Deno.writeTextFile(join(dir, "cert.pem"), made.cert);
    await Deno.writeTextFile(join(dir, "key.pem"), made.key);
    const server = await start({
      CHAT_TLS_CERT_FILE: join(dir, "cert.pem"),
      CHAT_TLS_KEY_FILE: join(dir, "key.pem"),
    });
    try {
      assert.equal(server.url, `https://localhost:${server.port}`);
      using client = Deno.createHttpClient({ caCerts: [made.authorityPem] });
      const health = await fetch(`${server.url}/api/health`, { client });
      assert.equal(health.status, 200);
      await health.body?.cancel();
      const none = await fetch(`${server.url}/ca.crt`, { client });
      assert.equal(none.status, 404, "no local authority to hand out");
      await none.body?.cancel();
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[tls] a missing or mismatched certificate file stops start-up with one line naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const made = await localTls(join(dir, "made"), { dns: ["localhost"], addresses: [] });
    const other = await localTls(join(dir, "other"), { dns: ["localhost"], addresses: [] });
    await Deno.writeTextFile(join(dir, "cert.pem"), made.cert);
    await Deno.writeTextFile(join(dir, "wrong.pem"), other.key);
    await Deno.writeTextFile(join(dir, "junk.pem"), "not a certificate");
    const cases: [Record<string, string>, string][] = [
      [
        { CHAT_TLS_CERT_FILE: join(dir, "missing.pem"), CHAT_TLS_KEY_FILE: join(dir, "cert.pem") },
        "CHAT_TLS_CERT_FILE",
      ],
      [
        { CHAT_TLS_CERT_FILE: join(dir, "cert.pem"), CHAT_TLS_KEY_FILE: join(dir, "missing.pem") },
        "CHAT_TLS_KEY_FILE",
      ],
      [
        { CHAT_TLS_CERT_FILE: join(dir, "junk.pem"), CHAT_TLS_KEY_FILE: join(dir, "wrong.pem") },
        "CHAT_TLS_CERT_FILE",
      ],
      [
        { CHAT_TLS_CERT_FILE: join(dir, "cert.pem"), CHAT_TLS_KEY_FILE: join(dir, "wrong.pem") },
        "CHAT_TLS_KEY_FILE",
      ],
      [{ CHAT_TLS: "sometimes" }, "CHAT_TLS"],
      [{ CHAT_HTTP_REDIRECT_PORT: "8080" }, "CHAT_HTTP_REDIRECT_PORT"],
    ];
    for (const [env, variable] of cases) {
      const result = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", new URL("../main.ts", import.meta.url).pathname],
        env: {
          ...env,
          CHAT_DATABASE_URL: "sqlite::memory:",
          CHAT_HOST: "127.0.0.1",
          PORT: "0",
          NO_COLOR: "1",
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(result.stderr).trim();
      assert.notEqual(result.code, 0, `${JSON.stringify(env)} should stop start-up`);
      assert.match(stderr, new RegExp(`^Configuration error: ${variable}=`), stderr);
      assert.equal(stderr.split("\n").length, 1, `one line: ${stderr}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
