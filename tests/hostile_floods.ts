/**
 * The hostile-client suite's parts: the server process, a bystander pair that chats and times its
 * round trips, and the floods, each from 127.0.0.1 for a bounded time (loopback only).
 */
import { rssBytes } from "../bench/proc.ts";
import { clientFrame, rawUpgrade, textFrame } from "./raw_socket.ts";
import { activeSession, authed } from "./ws_client.ts";

export interface ServerProcess {
  pid: number;
  port: number;
  /** Base URL through [::1], an address apart from the attacker's 127.0.0.1. */
  bystanderUrl: string;
  rss(): number;
  alive(): boolean;
  stop(): Promise<Deno.CommandStatus>;
}

export async function startServerProcess(
  options: { env?: Record<string, string>; fdLimit?: number } = {},
): Promise<ServerProcess> {
  const dir = await Deno.makeTempDir({ prefix: "hostile-" });
  const script = new URL("./hostile_server.ts", import.meta.url).pathname;
  const limit = options.fdLimit ? `ulimit -n ${options.fdLimit}; ` : "";
  const child = new Deno.Command("bash", {
    args: ["-c", `${limit}exec "$@"`, "server", Deno.execPath(), "run", "-A", script, `${dir}/db`],
    stdout: "piped",
    stderr: "inherit",
    env: options.env,
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the server process ended before listening");
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  const { port } = JSON.parse(text.split("\n")[0]);
  return {
    pid: child.pid,
    port,
    bystanderUrl: `http://[::1]:${port}`,
    rss: () => rssBytes(child.pid),
    alive: () => !exited,
    async stop() {
      if (!exited) child.kill("SIGTERM");
      const result = await status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      return result;
    },
  };
}

/** Two seats relaying a small frame back and forth; round trips are timed by the host. */
export async function bystanderPair(baseUrl: string) {
  const { token, host, guest } = await activeSession(baseUrl);
  const { socket: hostSocket } = await authed(baseUrl, token, host);
  const { socket: guestSocket } = await authed(baseUrl, token, guest);
  await hostSocket.nextOfType("status", (f) => f.connected.length === 2);
  guestSocket.drain();
  const roundTrips: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let seq = 0; running; seq++) {
      const started = performance.now();
      hostSocket.send({ type: "relay", payload: `ping-${seq}` });
      await guestSocket.nextOfType("relay", (f) => f.payload === `ping-${seq}`);
      guestSocket.send({ type: "relay", payload: `pong-${seq}` });
      await hostSocket.nextOfType("relay", (f) => f.payload === `pong-${seq}`);
      roundTrips.push(performance.now() - started);
      await sleep(50);
    }
  })();
  return {
    roundTrips,
    async stop() {
      running = false;
      await loop;
      await hostSocket.close();
      await guestSocket.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` again and again (each is one attacking connection) until `ms` pass. */
async function repeatFor(ms: number, parallel: number, attempt: () => Promise<void>) {
  const until = Date.now() + ms;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (Date.now() < until) await attempt().catch(() => sleep(10));
  }));
}

/** Writes until the server cuts the connection or the time is up. */
async function pump(conn: Deno.Conn, until: number, chunk: () => Uint8Array, pauseMs = 0) {
  try {
    while (Date.now() < until) {
      await conn.write(chunk());
      if (pauseMs > 0) await sleep(pauseMs);
    }
  } catch {
    /* cut by the server: what the flood expects */
  } finally {
    try {
      conn.close();
    } catch { /* closed */ }
  }
}

const path = (token: string) => `/ws/sessions/${token}`;

/** Binary frames on unauthenticated sockets with a made-up token (issue 8, point 2). */
export function binaryFlood(port: number, ms: number) {
  const until = Date.now() + ms;
  const frame = clientFrame(2, new Uint8Array(512));
  return repeatFor(ms, 8, async () => {
    const raw = await rawUpgrade(port, path("made-up-token"));
    await pump(raw.conn, until, () => frame);
  });
}

/** Frames announcing 60 MiB, streamed as fast as the socket takes them (point 4). */
export function oversizedFlood(port: number, ms: number) {
  const until = Date.now() + ms;
  const body = new Uint8Array(256 * 1024);
  return repeatFor(ms, 8, async () => {
    const raw = await rawUpgrade(port, path("made-up-token"));
    await raw.conn.write(clientFrame(1, new Uint8Array(0), 60 * 1024 * 1024));
    await pump(raw.conn, until, () => body);
  });
}

/** Sockets that never authenticate: idle ones, and ones sending text that is not auth. */
export function preAuthFlood(port: number, ms: number) {
  const until = Date.now() + ms;
  const junk = textFrame('{"type":"relay","payload":"x"}');
  return Promise.all([
    repeatFor(ms, 8, async () => {
      const raw = await rawUpgrade(port, path("made-up-token"));
      await pump(raw.conn, until, () => new Uint8Array(0), 200);
    }),
    repeatFor(ms, 4, async () => {
      const raw = await rawUpgrade(port, path("made-up-token"));
      await pump(raw.conn, until, () => junk, 5);
    }),
  ]);
}

/** HTTP connections that trickle their head, and ones that never send a byte (point 5). */
export function slowHeaderFlood(port: number, ms: number) {
  const until = Date.now() + ms;
  const encoder = new TextEncoder();
  const attempt = (bytes: () => Uint8Array) => async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await pump(conn, until, bytes, 500);
  };
  return Promise.all([
    repeatFor(ms, 40, attempt(() => encoder.encode("X-Slow: a\r\n"))),
    repeatFor(ms, 40, attempt(() => new Uint8Array(0))),
  ]);
}

/** A seat that never reads while its peer sends large relay frames; it rejoins when dropped (point 3). */
export async function slowReaderFlood(port: number, ms: number) {
  const baseUrl = `http://127.0.0.1:${port}`;
  const until = Date.now() + ms;
  const payload = "x".repeat(60_000);
  const { token, host, guest } = await activeSession(baseUrl);
  const { socket: sender } = await authed(baseUrl, token, host);
  const readers: Deno.Conn[] = [];
  while (Date.now() < until && !sender.isClosed) {
    const reader = await rawUpgrade(port, path(token));
    readers.push(reader.conn);
    await reader.conn.write(textFrame(JSON.stringify({ type: "auth", participant_id: guest })));
    await sender.nextOfType("status", (f) => f.connected.length === 2);
    // Paced within the flood bucket (200 frames a second) until the reader is dropped.
    for (let i = 0; Date.now() < until; i++) {
      sender.send({ type: "relay", payload });
      if (i % 10 === 9) await sleep(50);
      if (sender.drain().some((f) => f.type === "status" && f.connected.length === 1)) break;
    }
  }
  await sender.close().catch(() => {});
  for (const conn of readers) conn.close();
}

/**
 * The most one address can hold at once with the default limits: 64 connections, as 10 sessions
 * (the hourly mint allowance) whose both seats never read while each host pushes 60 KB frames,
 * 8 unauthenticated sockets each 1 byte short of a 64 KiB frame, and slow heads just under 32 KiB.
 * Returns the open connections; the caller reads the memory and closes them.
 */
export async function worstCaseHold(port: number): Promise<Deno.Conn[]> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const conns: Deno.Conn[] = [];
  const hosts: Deno.Conn[] = [];
  for (let i = 0; i < 10; i++) {
    const { token, host, guest } = await activeSession(baseUrl);
    for (const seat of [host, guest]) {
      const raw = await rawUpgrade(port, path(token));
      await raw.conn.write(textFrame(JSON.stringify({ type: "auth", participant_id: seat })));
      conns.push(raw.conn);
      if (seat === host) hosts.push(raw.conn);
    }
  }
  await sleep(300);
  const frame = textFrame(JSON.stringify({ type: "relay", payload: "x".repeat(60_000) }));
  await Promise.all(hosts.map(async (conn) => {
    for (let i = 0; i < 300; i++) {
      if (!await conn.write(frame).then(() => true, () => false)) return;
      // Within the flood bucket: 50 frames, then a pause.
      if (i % 50 === 49) await sleep(300);
    }
  }));
  for (let i = 0; i < 8; i++) {
    const raw = await rawUpgrade(port, path("made-up-token"));
    await raw.conn.write(clientFrame(1, new Uint8Array(0), 64 * 1024)).catch(() => {});
    await raw.conn.write(new Uint8Array(64 * 1024 - 1)).catch(() => {});
    conns.push(raw.conn);
  }
  const head = new TextEncoder().encode("GET / HTTP/1.1\r\nX-Pad: " + "a".repeat(32 * 1024 - 64));
  while (conns.length < 64) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(head).catch(() => {});
    conns.push(conn);
  }
  return conns;
}
