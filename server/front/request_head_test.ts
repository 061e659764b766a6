import assert from "node:assert/strict";
import { MAX_BODY_BYTES } from "../http/body_limit.ts";
import { parseRequestHead } from "./request_head.ts";

const head = (text: string) => new TextEncoder().encode(text);
const parse = (lines: string[]) => parseRequestHead(head(lines.join("\r\n") + "\r\n\r\n"));
const GET = ["GET /api/health?x=1 HTTP/1.1", "Host: 127.0.0.1:8000"];

Deno.test("request head: a plain GET is read with its headers, in order", () => {
  const parsed = parse([...GET, "Accept: */*", "Accept-Encoding: br, gzip", "X-A:  b  "]);
  assert.deepEqual(parsed, {
    method: "GET",
    target: "/api/health?x=1",
    host: "127.0.0.1:8000",
    headers: [["Host", "127.0.0.1:8000"], ["Accept", "*/*"], ["Accept-Encoding", "br, gzip"], [
      "X-A",
      "b",
    ]],
    contentLength: 0,
    close: false,
  });
  assert.equal(parse([...GET, "Connection: close"])?.close, true);
  const post = parse(["POST /api/tokens HTTP/1.1", "Host: x", `Content-Length: ${MAX_BODY_BYTES}`]);
  assert.equal(post?.contentLength, MAX_BODY_BYTES);
});

Deno.test("request head: everything outside the plain subset goes to Deno.serve", () => {
  const refused: Record<string, string[]> = {
    "HTTP/1.0": ["GET / HTTP/1.0", "Host: x"],
    "HTTP/2 preface": ["PRI * HTTP/2.0", ""],
    "absolute target": ["GET http://x/ HTTP/1.1", "Host: x"],
    "asterisk target": ["OPTIONS * HTTP/1.1", "Host: x"],
    "rare method": ["TRACE / HTTP/1.1", "Host: x"],
    "lower-case method": ["get / HTTP/1.1", "Host: x"],
    "space in target": ["GET /a b HTTP/1.1", "Host: x"],
    "no host": ["GET / HTTP/1.1", "Accept: */*"],
    "two hosts": [...GET, "Host: y"],
    "host with user info": ["GET / HTTP/1.1", "Host: a@b"],
    "host with a path": ["GET / HTTP/1.1", "Host: a/b"],
    "chunked": ["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"],
    "two lengths": ["POST / HTTP/1.1", "Host: x", "Content-Length: 1", "Content-Length: 1"],
    "signed length": ["POST / HTTP/1.1", "Host: x", "Content-Length: +1"],
    "length list": ["POST / HTTP/1.1", "Host: x", "Content-Length: 1, 1"],
    "length over the body cap": [
      "POST / HTTP/1.1",
      "Host: x",
      `Content-Length: ${MAX_BODY_BYTES + 1}`,
    ],
    "GET with a body": [...GET, "Content-Length: 5"],
    "expect": ["POST / HTTP/1.1", "Host: x", "Content-Length: 5", "Expect: 100-continue"],
    "upgrade": [...GET, "Upgrade: websocket", "Connection: Upgrade"],
    "h2c": [...GET, "HTTP2-Settings: AAA"],
    "folded line": [...GET, "X-A: b", " c"],
    "space before colon": [...GET, "X-A : b"],
    "no colon": [...GET, "X-A"],
    "empty name": [...GET, ": b"],
    "control byte": [...GET, "X-A: b\x01"],
    "bare line feed": [...GET, "X-A: b\nX-B: c"],
    "non-ASCII value": [...GET, "X-A: é"],
  };
  for (const [why, lines] of Object.entries(refused)) {
    assert.equal(parse(lines), null, why);
  }
});
