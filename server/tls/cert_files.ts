/**
 * `CHAT_TLS_CERT_FILE` / `CHAT_TLS_KEY_FILE`: PEM files the operator provides (from a real
 * authority, mkcert, or the like). Each is read and parsed before listening, so a missing,
 * unreadable or malformed file stops start-up with one line that names its variable.
 */
import { ConfigError } from "../config.ts";
import { x509 } from "./x509.ts";

async function readPem(variable: string, path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : (error as Error).message;
    throw new ConfigError(variable, `a readable PEM file (${why})`, path);
  }
}

export async function readCertFiles(certFile: string, keyFile: string) {
  const cert = await readPem("CHAT_TLS_CERT_FILE", certFile);
  try {
    new x509.X509Certificate(cert);
  } catch {
    throw new ConfigError("CHAT_TLS_CERT_FILE", "a PEM certificate (BEGIN CERTIFICATE)", certFile);
  }
  const key = await readPem("CHAT_TLS_KEY_FILE", keyFile);
  if (!/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(key)) {
    throw new ConfigError("CHAT_TLS_KEY_FILE", "a PEM private key (BEGIN PRIVATE KEY)", keyFile);
  }
  try {
    // A throwaway listener is the check that the TLS stack accepts the pair, key matching cert.
    Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert, key }).close();
  } catch (error) {
    const why = (error as Error).message.split("\n")[0];
    throw new ConfigError(
      "CHAT_TLS_KEY_FILE",
      `the key of CHAT_TLS_CERT_FILE's certificate (${why})`,
      keyFile,
    );
  }
  return { cert, key };
}
