import assert from "node:assert/strict";
import { RESPONSE_DEFAULTS } from "../http/response_defaults.ts";
import { responseBytes } from "./response_bytes.ts";

const text = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);
const lines = (answer: string) => answer.slice(0, answer.indexOf("\r\n\r\n")).split("\r\n");

Deno.test("response bytes: status, headers, length, date and the body", async () => {
  const { bytes, close } = await responseBytes(
    new Response("héllo", { status: 201, headers: { "content-type": "text/plain" } }),
    false,
  );
  const answer = text(bytes);
  assert.equal(close, false);
  assert.equal(lines(answer)[0], "HTTP/1.1 201 Created");
  assert.ok(lines(answer).includes("content-type: text/plain"));
  assert.ok(lines(answer).includes("content-length: 6"), "UTF-8 bytes counted");
  assert.ok(lines(answer).some((line) => /^date: \w{3}, \d\d \w{3} \d{4} /.test(line)));
  assert.ok(
    bytes.subarray(bytes.length - 6).every((b, i) => b === [104, 195, 169, 108, 108, 111][i]),
  );
});

Deno.test("response bytes: each default once, the response's own value winning", async () => {
  const { bytes } = await responseBytes(
    new Response("x", { headers: { "X-Frame-Options": "SAMEORIGIN" } }),
    false,
  );
  const head = lines(text(bytes));
  for (const [name, value] of RESPONSE_DEFAULTS) {
    const found = head.filter((line) => line.startsWith(`${name}:`));
    assert.deepEqual(found, [`${name}: ${name === "x-frame-options" ? "SAMEORIGIN" : value}`]);
  }
});

Deno.test("response bytes: no body for HEAD, 204, 304; close; byte-string values", async () => {
  const head = text((await responseBytes(new Response("12345"), true)).bytes);
  assert.ok(head.endsWith("\r\n\r\n"));
  assert.ok(lines(head).includes("content-length: 5"), "the length GET would have");
  for (const status of [204, 304]) {
    const answer = text((await responseBytes(new Response(null, { status }), false)).bytes);
    assert.ok(!/content-length/i.test(answer), `${status}`);
    assert.ok(answer.endsWith("\r\n\r\n"));
  }
  const closing = await responseBytes(
    new Response("", { headers: { connection: "close", "x-name": "caf\u00e9" } }),
    false,
  );
  assert.equal(closing.close, true);
  // A Latin-1 header value goes out as its one byte, not as UTF-8.
  assert.ok(lines(text(closing.bytes)).includes("x-name: caf\u00e9"));
  assert.equal(closing.bytes.filter((b) => b === 0xc3).length, 0);
});
