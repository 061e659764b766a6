/**
 * A TCP forwarder on loopback in front of the shared PostgreSQL server, so a test can take "the
 * database" away from one instance (cut: stop listening and drop every forwarded connection) and
 * give it back (restore: listen again on the same port) without touching the server others use.
 */
export interface TcpForwarder {
  port: number;
  cut(): void;
  restore(): void;
  [Symbol.asyncDispose](): Promise<void>;
}

export function tcpForwarder(target: { hostname: string; port: number }): TcpForwarder {
  let listener: Deno.Listener | null = null;
  const open = new Set<Deno.Conn>();
  const close = (conn: Deno.Conn) => {
    open.delete(conn);
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    await from.readable.pipeTo(to.writable).catch(() => {});
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
    restore: () => {
      if (!listener) listen(port);
    },
    [Symbol.asyncDispose]: async () => {
      cut();
      await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}
