/**
 * The reference deployment on loopback: `main.ts` instances as separate processes on one
 * PostgreSQL schema, and Debian's nginx with deploy/nginx.conf (upstreams pointed at them).
 */
import { baseEnv, freePort, REPO_ROOT, type ServerProcess, startServer } from "../fresh_copy.ts";

export const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

export async function instance(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = freePort();
  return await startServer(Deno.execPath(), ["run", "-A", "main.ts"], {
    cwd: REPO_ROOT,
    env: baseEnv({
      PORT: String(port),
      CHAT_HOST: "127.0.0.1",
      CHAT_DATABASE_URL: databaseUrl,
      CHAT_TRUST_PROXY: "true",
      ...env,
    }),
    port,
  });
}

/**
 * nginx with deploy/nginx.conf, its upstreams and port rewritten for loopback; `port` chosen
 * beforehand when the instances must know the public URL (nginx passes Host without the port).
 */
export async function nginx(ports: number[], port = freePort()) {
  const dir = await Deno.makeTempDir({ prefix: "chatorbit-nginx-" });
  const conf = (await Deno.readTextFile(`${REPO_ROOT}/deploy/nginx.conf`))
    .replace("app1:8000", `127.0.0.1:${ports[0]}`)
    .replace("app2:8000", `127.0.0.1:${ports[1]}`)
    .replace("listen 80;", `listen 127.0.0.1:${port};`)
    .replaceAll("/tmp/chatorbit-nginx", `${dir}/nginx`);
  await Deno.writeTextFile(`${dir}/nginx.conf`, conf);
  const child = new Deno.Command(NGINX!, {
    args: ["-p", dir, "-c", `${dir}/nginx.conf`, "-g", "daemon off;"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/api/health`).then(async (r) => {
      await r.body?.cancel();
      return r.ok;
    }, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      await child.output().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Established TCP connections to `port` on 127.0.0.1, from /proc/net/tcp: behind nginx (which
 * keeps no idle upstream connections) these are the instance's WebSockets.
 */
export async function connectionsTo(port: number): Promise<number> {
  const table = await Deno.readTextFile("/proc/net/tcp");
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  return table.split("\n").slice(1).filter((line) => {
    const [, local, , state] = line.trim().split(/\s+/);
    return local === `0100007F:${hex}` && state === "01";
  }).length;
}
