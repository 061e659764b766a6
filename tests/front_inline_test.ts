/**
 * The front answering plain requests itself (server/front/inline_http.ts): the same answers as
 * Deno.serve gives through the pipe, keep-alive and pipelining, and the hand-over to Deno.serve
 * of the first request outside the plain subset, on the same connection.
 */
import assert from "node:assert/strict";
import { MAX_BODY_BYTES } from "../server/http/body_limit.ts";
import { RESPONSE_DEFAULTS } from "../server/http/response_defaults.ts";
import { withServer } from "./helpers.ts";
import { activeSession } from "./ws_client.ts";

const encoder = new TextEncoder();
/** One character per byte, so Content-Length counts hold for binary bodies too. */
const decoder = new TextDecoder("latin1");

/** Sends `text` and reads until `answers` complete HTTP answers (Content-Length framed) came. */
async function exchange(port: number, text: string, answers: number): Promise<string[]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(text));
    let received = "";
    const buffer = new Uint8Array(64 * 1024);
    const deadline = Date.now() + 5_000;
    while (splitAnswers(received).length < answers && Date.now() < deadline) {
      const n = await conn.read(buffer);
      if (n === null) break;
      received += decoder.decode(buffer.subarray(0, n));
    }
    return splitAnswers(received);
  } finally {
    conn.close();
  }
}

function splitAnswers(text: string): string[] {
  const answers: string[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) return answers;
    const head = rest.slice(0, end);
    const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? "0");
    const chunked = /\r\ntransfer-encoding: chunked/i.test(head);
    const bodyEnd = chunked ? rest.indexOf("\r\n0\r\n\r\n", end) + 7 : end + 4 + length;
    if ((chunked && bodyEnd < 7) || rest.length < bodyEnd) return answers;
    answers.push(rest.slice(0, bodyEnd));
    rest = rest.slice(bodyEnd);
  }
}

const statusOf = (answer: string) => Number(answer.slice(9, 12));
const GET = (path: string, extra = "") => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

Deno.test("[front] its own answers match Deno.serve's, header for header", async () => {
  await using inline = await withServer();
  await using piped = await withServer({ pipeAll: true });
  const compare = async (path: string, init: RequestInit = {}) => {
    const [a, b] = await Promise.all([inline, piped].map(async (server) => {
      const response = await fetch(`${server.url}${path}`, init);
      const body = await response.text();
      const names = [...response.headers.keys()].filter((name) => name !== "date").sort();
      return { status: response.status, names, body: body.length };
    }));
    assert.equal(a.status, b.status, path);
    // Deno.serve answers a gzip request in chunks; here bodies have a length (both are allowed).
    const framing = ["content-length", "transfer-encoding"];
    assert.deepEqual(
      a.names.filter((name) => !framing.includes(name)),
      b.names.filter((name) => !framing.includes(name)),
      path,
    );
    return a;
  };
  const json = { method: "POST", headers: { "content-type": "application/json" } };
  await compare("/");
  await compare("/", { headers: { "accept-encoding": "identity" } });
  await compare("/api/health");
  await compare("/static/styles.css");
  await compare("/api/nothing-here");
  await compare("/api/tokens", { ...json, body: "{not json" });
  assert.equal(
    (await compare("/api/tokens", {
      ...json,
      body: JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 5 }),
    })).status,
    201,
  );
  await compare("/", { method: "HEAD" });
  const { token } = await activeSession(inline.url);
  const status = await fetch(`${inline.url}/api/sessions/${token}/status`);
  assert.equal(status.status, 200);
  assert.equal((await status.json()).participants.length, 2);
});

Deno.test("[front] pipelined requests are answered in order on one connection", async () => {
  await using server = await withServer();
  const answers = await exchange(
    server.port,
    GET("/api/health") + GET("/api/nothing-here") + GET("/api/health"),
    3,
  );
  assert.deepEqual(answers.map(statusOf), [200, 404, 200]);
});

Deno.test("[front] a request it does not answer hands the connection to Deno.serve", async () => {
  await using server = await withServer();
  const body = JSON.stringify({ validity_period: "1_day", session_ttl_minutes: 5 });
  const chunked = `POST /api/tokens HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n` +
    `transfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
  // Answered here, then by Deno.serve (chunked), then still by Deno.serve on the same connection.
  const answers = await exchange(
    server.port,
    GET("/api/health") + chunked + GET("/api/health"),
    3,
  );
  assert.deepEqual(answers.map(statusOf), [200, 201, 200]);
  assert.match(answers[1], /"token":"[\w-]{43}"/);
});

Deno.test("[front] a socket upgrade after plain requests still reaches the app", async () => {
  await using server = await withServer();
  const { token } = await activeSession(server.url);
  const upgrade = GET(
    `/ws/sessions/${token}`,
    "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
  );
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await conn.write(encoder.encode(GET("/api/health") + upgrade));
    let received = "";
    const buffer = new Uint8Array(8 * 1024);
    while (!received.includes("HTTP/1.1 101")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      received += decoder.decode(buffer.subarray(0, n));
    }
    assert.match(received, /^HTTP\/1\.1 200[\s\S]*HTTP\/1\.1 101 /);
  } finally {
    conn.close();
  }
});

Deno.test("[front] HEAD, Connection: close, compression and a bad request", async () => {
  await using server = await withServer();
  const [head] = await exchange(server.port, `HEAD / HTTP/1.1\r\nHost: x\r\n\r\n`, 1);
  assert.equal(statusOf(head), 200);
  assert.ok(head.endsWith("\r\n\r\n"), "no body after the head");

  const closing = await exchange(server.port, GET("/api/health", "Connection: close\r\n"), 2);
  assert.equal(closing.length, 1, "closed after one answer");

  // Pages are not compressed, as Deno.serve did not compress them (built files carry their own).
  const gzip = "Accept-Encoding: gzip\r\n";
  const [page] = await exchange(server.port, GET("/", gzip), 1);
  assert.doesNotMatch(page, /\r\ncontent-encoding:/i);

  // Not in the plain subset, so Deno.serve judges it (a request line it cannot read: 400).
  const [bad] = await exchange(server.port, "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n", 1);
  assert.equal(statusOf(bad), 400);
  // The process lives.
  assert.equal((await fetch(`${server.url}/api/health`)).status, 200);
});

Deno.test("[front] the body cap and the head cap hold on its own answers", async () => {
  await using server = await withServer();
  const post = (bytes: number) =>
    `POST /api/tokens HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n` +
    `content-length: ${bytes}\r\n\r\n${" ".repeat(bytes)}`;
  // At the cap the body is read here and reaches the app (which finds no JSON in it); one byte
  // over, Deno.serve takes the request and the app refuses its size.
  const [atCap] = await exchange(server.port, post(MAX_BODY_BYTES), 1);
  assert.notEqual(statusOf(atCap), 413);
  assert.equal(statusOf(atCap) >= 400 && statusOf(atCap) < 500, true, atCap.slice(0, 40));
  const [overCap] = await exchange(server.port, post(MAX_BODY_BYTES + 1), 1);
  assert.equal(statusOf(overCap), 413);

  // A later request's head is held to the same 32 KiB as the first one's.
  const huge = GET("/api/health", `X-Pad: ${"a".repeat(40 * 1024)}\r\n`);
  const answers = await exchange(server.port, GET("/api/health") + huge, 2);
  assert.deepEqual(answers.map(statusOf), [200, 431]);
});

Deno.test("[front] each of its answers carries every response default exactly once", async () => {
  await using server = await withServer({
    env: { CHAT_CORS_ALLOWED_ORIGINS: "https://a.example" },
  });
  const { token } = await activeSession(server.url);
  const preflight = `OPTIONS /api/tokens HTTP/1.1\r\nHost: x\r\nOrigin: https://a.example\r\n` +
    `Access-Control-Request-Method: POST\r\n\r\n`;
  const answers = await exchange(
    server.port,
    GET(`/api/sessions/${token}/status`) + GET("/") + GET("/static/styles.css") +
      GET("/api/nothing-here") + preflight,
    5,
  );
  assert.deepEqual(answers.map(statusOf), [200, 200, 200, 404, 204]);
  for (const answer of answers) {
    const head = answer.slice(0, answer.indexOf("\r\n\r\n")).toLowerCase();
    for (const [name, value] of RESPONSE_DEFAULTS) {
      const lines = head.split("\r\n").filter((line) => line.startsWith(`${name}:`));
      assert.equal(lines.length, 1, `${name} in ${head}`);
      // Pages and built files say how they may be cached; everything else is no-store.
      if (name !== "cache-control") assert.equal(lines[0], `${name}: ${value.toLowerCase()}`);
    }
    const cache = /\r\ncache-control: ([^\r]*)/.exec(head)![1];
    const path = answer === answers[1] ? "page" : answer === answers[2] ? "file" : "other";
    assert.equal(
      cache,
      { page: "no-cache, private", file: "no-cache", other: "no-store" }[path],
      head,
    );
  }
});
