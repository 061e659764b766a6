/**
 * @peculiar/x509 set up for Deno: certificates are built and parsed by that maintained library
 * (no hand-written ASN.1), with Deno's Web Crypto doing the key work. Its dependency injection
 * needs the Reflect metadata polyfill, which must load first.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

export { x509 };

/** ECDSA on P-256 with SHA-256: accepted by every browser and phone, small and fast. */
export const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ECDSA_P256, true, ["sign", "verify"]);
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

export function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return crypto.subtle.importKey("pkcs8", der, ECDSA_P256, false, ["sign"]);
}

/** Lower-case hex SHA-256 of the certificate's DER, colon-separated as browsers show it. */
export async function fingerprint(cert: x509.X509Certificate): Promise<string> {
  const digest = new Uint8Array(await cert.getThumbprint("SHA-256"));
  return [...digest].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/** A random positive serial number (16 bytes, top bit clear), as hex. */
export function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
