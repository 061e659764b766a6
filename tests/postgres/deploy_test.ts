/**
 * The reference deployment for real: Debian's nginx on loopback with deploy/nginx.conf (its
 * upstreams pointed at local ports) in front of two `main.ts` processes on one PostgreSQL schema.
 * A chat runs through it while one instance is drained with SIGTERM, or killed with SIGKILL.
 */
import assert from "node:assert/strict";
import { baseEnv, REPO_ROOT, type ServerProcess } from "../fresh_copy.ts";
import { instance, NGINX, nginx } from "./deploy_fixtures.ts";
import { createTestSchema, postgresTest } from "../test_store.ts";
import { authed, joinLive, mintLive, TestSocket } from "../ws_client.ts";

/** Opens a seat's socket through the proxy until it lands on a live instance. */
async function reconnect(url: string, token: string, participant: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return (await authed(url, token, participant)).socket;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function chatThroughProxy(
  stop: (instance: ServerProcess, direct: TestSocket) => Promise<void>,
) {
  await using schema = await createTestSchema();
  const databaseUrl = `${schema.target.url}?search_path=${schema.target.schema}`;
  await using one = await instance(databaseUrl);
  await using two = await instance(databaseUrl);
  const ports = [one, two].map((server) => Number(new URL(server.url).port));
  await using proxy = await nginx(ports);

  const token = await mintLive(proxy.url);
  const host = (await joinLive(proxy.url, { token })).participant_id;
  const guest = (await joinLive(proxy.url, { token })).participant_id;
  const hostSocket = await reconnect(proxy.url, token, host);
  const guestSocket: TestSocket = await reconnect(proxy.url, token, guest);
  await hostSocket.nextOfType("status", (f) => f.connected.length === 2);
  hostSocket.send({ type: "relay", payload: "before" });
  assert.equal((await guestSocket.nextOfType("relay")).payload, "before");
  // A seat of another session held on the instance about to stop, not through nginx: it sees
  // the close code the instance sends.
  const other = await mintLive(one.url);
  const otherHost = (await joinLive(one.url, { token: other })).participant_id;
  const direct = await reconnect(one.url, other, otherHost);

  await stop(one, direct);
  // Whichever seats were on the stopped instance lose their sockets (nginx notices a little
  // later) and come back through nginx; until then a frame may find no one and is resent.
  const seats = { host: hostSocket, guest: guestSocket };
  const current = async (role: "host" | "guest") => {
    if (seats[role].isClosed) {
      seats[role] = await reconnect(proxy.url, token, role === "host" ? host : guest);
    }
    return seats[role];
  };
  const through = async (from: "host" | "guest", to: "host" | "guest", payload: string) => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      (await current(from)).send({ type: "relay", payload });
      const until = Date.now() + 1_000;
      while (Date.now() < until) {
        const socket = await current(to);
        const frame = await socket.next("relay", Math.max(1, until - Date.now())).catch(() => null);
        if (frame?.type === "relay" && frame.payload === payload) return;
      }
    }
    throw new Error(`${payload} never got through`);
  };
  await through("host", "guest", "after");
  await through("guest", "host", "reply");
  await seats.host.close();
  await seats.guest.close();
}

await postgresTest(
  "[deploy] SIGTERM drains an instance behind nginx with 1012, the chat goes on",
  async () => {
    if (!NGINX) throw new Error("nginx is not installed (.ci/run installs it)");
    await chatThroughProxy(async (server) => {
      const started = Date.now();
      server.kill("SIGTERM");
      assert.equal(await server.exited, 0, server.output());
      // Deno Deploy kills 5 s after SIGINT: draining must end well inside that.
      assert.ok(Date.now() - started < 5_000, `drained in ${Date.now() - started} ms`);
    });
  },
);

await postgresTest(
  "[deploy] kill -9 of an instance behind nginx: its seat moves, the chat goes on",
  async () => {
    if (!NGINX) throw new Error("nginx is not installed (.ci/run installs it)");
    await chatThroughProxy(async (server) => {
      server.kill("SIGKILL");
      await server.exited;
    });
  },
);

Deno.test("[deploy] an unreachable database stops start-up with one line, no password", async () => {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: REPO_ROOT,
    env: baseEnv({ PORT: "0", CHAT_DATABASE_URL: "postgres://chat:s3cret@127.0.0.1:1/chat" }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const errors = new TextDecoder().decode(result.stderr).trim();
  assert.equal(result.code, 1);
  assert.equal(errors.split("\n").length, 1, errors);
  assert.match(errors, /CHAT_DATABASE_URL/);
  assert.doesNotMatch(errors, /s3cret/);
});
