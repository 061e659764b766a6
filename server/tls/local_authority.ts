/**
 * `CHAT_TLS=auto`: a certificate authority of this installation and a server certificate it
 * signs, kept in the data folder (`tls/` next to the SQLite file) so a restart keeps the same
 * authority, the one people installed on their phones.
 *
 * Files: ca.crt, ca.key, server.crt, server.key, and server.names (what it was issued for). Private keys are written with mode 0600. The
 * server certificate is issued again when the machine's names or addresses no longer match it,
 * when it nears expiry, or when the authority changed.
 */
import { join } from "node:path";
import type { MachineNames } from "./machine_names.ts";
import {
  ECDSA_P256,
  fingerprint,
  generateKeys,
  importPrivateKeyPem,
  privateKeyPem,
  randomSerial,
  x509,
} from "./x509.ts";

const DAY_MS = 86_400_000;
/** Apple devices refuse TLS server certificates valid for longer than 825 days. */
const SERVER_CERT_DAYS = 825;
/** Renew this long before expiry, so a running machine never reaches it unnoticed. */
const RENEW_BEFORE_DAYS = 30;
const AUTHORITY_DAYS = 3650;

export interface LocalTls {
  cert: string;
  key: string;
  authorityPem: string;
  /** SHA-256 of the authority's certificate, colon-separated hex. */
  authorityFingerprint: string;
  /** What happened on this start: for the start-up log. */
  events: string[];
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function writeSecret(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { mode: 0o600 });
  await Deno.chmod(path, 0o600); // `mode` does not apply to a file that already existed.
}

interface Authority {
  cert: x509.X509Certificate;
  key: CryptoKey;
}

async function loadAuthority(dir: string, now: Date, events: string[]): Promise<Authority> {
  const [certPem, keyPem] = await Promise.all(
    ["ca.crt", "ca.key"].map((name) => readIfExists(join(dir, name))),
  );
  if (certPem && keyPem) {
    const cert = new x509.X509Certificate(certPem);
    if (cert.notAfter > now) return { cert, key: await importPrivateKeyPem(keyPem) };
    events.push("The local certificate authority expired: made a new one (install it again).");
  }
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=ChatOrbit local authority (${crypto.randomUUID().slice(0, 8)})`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + AUTHORITY_DAYS * DAY_MS),
    signingAlgorithm: ECDSA_P256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  await writeSecret(join(dir, "ca.key"), await privateKeyPem(keys.privateKey));
  await Deno.writeTextFile(join(dir, "ca.crt"), cert.toString("pem"));
  events.push("Made a local certificate authority.");
  return { cert, key: keys.privateKey };
}

/** The names a certificate was issued for, in one comparable line (kept in server.names). */
const namesLine = (names: MachineNames) =>
  JSON.stringify([...names.dns, ...names.addresses].sort());

/** Why the current server certificate must be replaced, or null when it is still good. */
async function renewalReason(
  certPem: string | null,
  issuedFor: string | null,
  authority: Authority,
  names: MachineNames,
  now: Date,
): Promise<string | null> {
  if (!certPem) return "Issued the server certificate.";
  const cert = new x509.X509Certificate(certPem);
  if (!await cert.verify({ publicKey: authority.cert.publicKey, signatureOnly: true })) {
    return "Issued a server certificate from the new authority.";
  }
  if (cert.notAfter.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) {
    return "Renewed the server certificate (it was near expiry).";
  }
  if (issuedFor?.trim() !== namesLine(names)) {
    return "Renewed the server certificate (this machine's names or addresses changed).";
  }
  return null;
}

async function issueServerCertificate(authority: Authority, names: MachineNames, now: Date) {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: "CN=localhost",
    issuer: authority.cert.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + (SERVER_CERT_DAYS - 1) * DAY_MS),
    signingAlgorithm: ECDSA_P256,
    publicKey: keys.publicKey,
    signingKey: authority.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: "dns" as const, value })),
        ...names.addresses.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(authority.cert),
    ],
  });
  return { cert: cert.toString("pem"), key: await privateKeyPem(keys.privateKey) };
}

/** Loads (or makes) the authority and a server certificate for `names`, in `dir`. */
export async function localTls(dir: string, names: MachineNames, now = new Date()) {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const events: string[] = [];
  const authority = await loadAuthority(dir, now, events);
  let cert = await readIfExists(join(dir, "server.crt"));
  let key = await readIfExists(join(dir, "server.key"));
  const issuedFor = await readIfExists(join(dir, "server.names"));
  const reason = key
    ? await renewalReason(cert, issuedFor, authority, names, now)
    : "Issued the server certificate.";
  if (reason) {
    ({ cert, key } = await issueServerCertificate(authority, names, now));
    await writeSecret(join(dir, "server.key"), key);
    await Deno.writeTextFile(join(dir, "server.crt"), cert);
    await Deno.writeTextFile(join(dir, "server.names"), namesLine(names) + "\n");
    events.push(reason);
  }
  return {
    cert: cert!,
    key: key!,
    authorityPem: authority.cert.toString("pem"),
    authorityFingerprint: await fingerprint(authority.cert),
    events,
  } satisfies LocalTls;
}
