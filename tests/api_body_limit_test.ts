/**
 * Point 1 of issue 8: every request body is capped while it streams. Each case sends a chunked
 * body far over the 16 KiB cap (4 MiB, over raw TCP so nothing buffers it for us) to a real
 * server and expects a 413 (or, for routes that never read a body, any answer) long before the
 * body ends; the server keeps answering and its memory stays flat.
 */
import assert from "node:assert/strict";
import { withServer } from "./helpers.ts";

const CHUNK = new Uint8Array(64 * 1024).fill(0x61);
const BODY_BYTES = 4 * 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Sends `method path` with a chunked body of up to `bytes`, stopping as soon as the server
 * answers; returns the status and how much of the body went out before the answer.
 */
async function sendChunked(
  port: number,
  method: string,
  path: string,
  contentType: string,
  bytes = BODY_BYTES,
): Promise<{ status: number; sent: number }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${contentType}\r\n` +
        "Transfer-Encoding: chunked\r\n\r\n",
    ));
    let answer = "";
    const reading = (async () => {
      const buffer = new Uint8Array(4096);
      for (;;) {
        const n = await conn.read(buffer).catch(() => null);
        if (n === null) return;
        answer += decoder.decode(buffer.subarray(0, n));
        if (answer.includes("\r\n")) return;
      }
    })();
    let sent = 0;
    let answered = false;
    reading.then(() => answered = true);
    const head = encoder.encode(`${CHUNK.byteLength.toString(16)}\r\n`);
    const tail = encoder.encode("\r\n");
    while (sent < bytes && !answered) {
      try {
        await conn.write(head);
        await conn.write(CHUNK);
        await conn.write(tail);
      } catch {
        break; // The server closed its side: that is an answer too.
      }
      sent += CHUNK.byteLength;
    }
    if (!answered && sent >= bytes) await conn.write(encoder.encode("0\r\n\r\n")).catch(() => {});
    await reading;
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    return { status, sent };
  } finally {
    conn.close();
  }
}

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

Deno.test("[limits] chunked bodies over the cap get 413 on every route that reads one", async () => {
  await using server = await withServer();
  for (
    const [method, path, type] of [
      ["POST", "/", FORM],
      ["POST", "/", "multipart/form-data; boundary=x"],
      ["POST", "/api/tokens", JSON_TYPE],
      ["POST", "/api/sessions/join", JSON_TYPE],
    ]
  ) {
    const { status, sent } = await sendChunked(server.port, method, path, type);
    assert.equal(status, 413, `${method} ${path} (${type})`);
    assert.ok(sent < BODY_BYTES, `${method} ${path}: the whole body was taken in`);
  }
  const health = await fetch(`${server.url}/api/health`);
  assert.equal(health.status, 200);
  await health.body?.cancel();
});

Deno.test("[limits] routes that read no body answer without taking one in", async () => {
  await using server = await withServer();
  for (
    const [method, path] of [
      ["DELETE", `/api/sessions/${"A".repeat(43)}`],
      ["POST", "/api/no/such/endpoint"],
      ["POST", `/session/${"A".repeat(43)}`],
      ["GET", "/api/health"],
    ]
  ) {
    const { status } = await sendChunked(server.port, method, path, JSON_TYPE);
    assert.ok(status >= 200 && status < 500, `${method} ${path}: ${status}`);
  }
  const health = await fetch(`${server.url}/api/health`);
  assert.equal(health.status, 200);
  await health.body?.cancel();
});

Deno.test("[limits] a declared Content-Length over the cap is refused on any route", async () => {
  await using server = await withServer();
  for (const path of ["/", "/api/tokens", "/api/sessions/join", "/api/sessions/x", "/nowhere"]) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(encoder.encode(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\n` +
        `Content-Length: ${256 * 1024 * 1024}\r\n\r\n`,
    ));
    const buffer = new Uint8Array(1024);
    const n = await conn.read(buffer);
    conn.close();
    assert.match(decoder.decode(buffer.subarray(0, n ?? 0)), /^HTTP\/1\.1 413 /, path);
  }
});

Deno.test("[limits] twenty 4 MiB chunked posts leave memory flat and the server answering", async () => {
  await using server = await withServer();
  // Warm up so the first measurement is not of lazy start-up work.
  await sendChunked(server.port, "POST", "/", FORM, 256 * 1024);
  const before = Deno.memoryUsage().rss;
  await Promise.all(
    Array.from({ length: 20 }, () => sendChunked(server.port, "POST", "/", FORM)),
  );
  const grown = Deno.memoryUsage().rss - before;
  // 20 × 4 MiB = 80 MiB offered; the cap keeps what is held to a few KiB per request.
  assert.ok(grown < 40 * 1024 * 1024, `rss grew by ${(grown / 1048576).toFixed(1)} MiB`);
  const response = await fetch(`${server.url}/`);
  assert.equal(response.status, 200);
  await response.body?.cancel();
});

Deno.test("[limits] nothing a form posts is echoed back unbounded", async () => {
  await using server = await withServer();
  const long = "x".repeat(15_000);
  const response = await fetch(`${server.url}/`, {
    method: "POST",
    headers: { "content-type": FORM },
    body: new URLSearchParams({ intent: "join", token: long }).toString(),
  });
  assert.equal(response.status, 422);
  const html = await response.text();
  assert.ok(!html.includes("x".repeat(600)), "the whole posted text came back");
});
