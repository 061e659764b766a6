/**
 * A TCP forwarder on loopback in front of the shared PostgreSQL server, so a test can take "the
 * database" away from one instance (cut: stop listening and drop every forwarded connection) and
 * give it back (restore: listen again on the same port) without touching the server others use.
 * It can also freeze the connections open now (freeze: they stay open, and what is sent either way
 * is dropped), as a half-open TCP connection behaves: nothing tells the client it is dead. New
 * connections are forwarded as usual.
 */
export interface TcpForwarder {
  port: number;
  cut(): void;
  freeze(): void;
  restore(): void;
  [Symbol.asyncDispose](): Promise<void>;
}

export function tcpForwarder(target: { hostname: string; port: number }): TcpForwarder {
  let listener: Deno.Listener | null = null;
  const open = new Set<Deno.Conn>();
  const frozen = new Set<Deno.Conn>();
  const close = (conn: Deno.Conn) => {
    open.delete(conn);
    frozen.delete(conn);
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (let read; (read = await from.read(buffer)) !== null;) {
        if (frozen.has(from)) continue;
        for (let written = 0; written < read;) {
          written += await to.write(buffer.subarray(written, read));
        }
      }
    } catch { /* closed by the other side or by cut */ }
    close(from);
    close(to);
  };
  const accept = async (on: Deno.Listener) => {
    for await (const client of on) {
      open.add(client);
      Deno.connect(target).then((server) => {
        open.add(server);
        pipe(client, server);
        pipe(server, client);
      }, () => close(client));
    }
  };
  const listen = (port: number) => {
    listener = Deno.listen({ hostname: "127.0.0.1", port });
    accept(listener).catch(() => {});
    return (listener.addr as Deno.NetAddr).port;
  };
  const port = listen(0);
  const cut = () => {
    listener?.close();
    listener = null;
    for (const conn of [...open]) close(conn);
  };
  return {
    port,
    cut,
    freeze: () => {
      for (const conn of open) frozen.add(conn);
    },
    restore: () => {
      if (!listener) listen(port);
    },
    [Symbol.asyncDispose]: async () => {
      cut();
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}
