import assert from "node:assert/strict";
import { CryptoCheckError } from "./errors.ts";
import { fromBase64Url, toBase64Url } from "./encoding.ts";
import { newLinkSecret, parseLinkSecret } from "./link_secret.ts";
import { SignalSealer } from "./signal_sealer.ts";

const OFFER = { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" };

function reason(r: string) {
  return (e: unknown) => e instanceof CryptoCheckError && e.reason === r;
}

Deno.test("[crypto] signal sealer with a link secret round-trips and hides the content", async () => {
  const secret = parseLinkSecret(newLinkSecret())!;
  const a = await SignalSealer.create("tok", secret);
  const b = await SignalSealer.create("tok", secret);
  assert.equal(a.sealed, true);
  const text = await a.seal(OFFER);
  assert.match(text, /^s\.[A-Za-z0-9_-]+$/);
  assert.equal(text.includes("offer"), false);
  assert.notEqual(await a.seal(OFFER), text, "random IV makes each seal distinct");
  assert.deepEqual(await b.open(text), OFFER);
});

Deno.test("[crypto] signal sealer with a wrong link secret or token fails", async () => {
  const text = await (await SignalSealer.create("tok", parseLinkSecret(newLinkSecret())))
    .seal(OFFER);
  const wrongSecret = await SignalSealer.create("tok", parseLinkSecret(newLinkSecret()));
  await assert.rejects(wrongSecret.open(text), reason("decrypt_failed"));
  const secret = parseLinkSecret(newLinkSecret())!;
  const sealed = await (await SignalSealer.create("tok-a", secret)).seal(OFFER);
  await assert.rejects(
    (await SignalSealer.create("tok-b", secret)).open(sealed),
    reason("decrypt_failed"),
  );
});

Deno.test("[crypto] signal sealer rejects tampered ciphertext", async () => {
  const sealer = await SignalSealer.create("tok", parseLinkSecret(newLinkSecret()));
  const body = fromBase64Url((await sealer.seal(OFFER)).slice(2));
  body[body.length - 20] ^= 1;
  await assert.rejects(sealer.open(`s.${toBase64Url(body)}`), reason("decrypt_failed"));
  await assert.rejects(sealer.open("s.AAAA"), reason("malformed"));
  await assert.rejects(sealer.open("s.!!"), reason("malformed"));
});

Deno.test("[crypto] signal sealer without a secret still encodes, and never mixes forms", async () => {
  const plain = await SignalSealer.create("tok", null);
  const sealed = await SignalSealer.create("tok", parseLinkSecret(newLinkSecret()));
  assert.equal(plain.sealed, false);
  const text = await plain.seal(OFFER);
  assert.match(text, /^p\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(await plain.open(text), OFFER);
  // A sealed side must not accept plaintext (no silent downgrade), nor the reverse.
  await assert.rejects(sealed.open(text), reason("sealing_mismatch"));
  await assert.rejects(plain.open(await sealed.seal(OFFER)), reason("sealing_mismatch"));
  await assert.rejects(plain.open("x.abc"), reason("malformed"));
});
