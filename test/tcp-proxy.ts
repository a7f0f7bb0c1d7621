/** A loopback TCP proxy that a test can cut and restore, to take a database "down" mid-run. */
import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * Where a planned cut happens relative to the first client message containing a marker:
 * `before-request` drops the message (the server never sees it); `before-reply` forwards it
 * and drops the server's answer (the server acted, the client never learns it).
 */
export type CutPoint = "before-request" | "before-reply";

export type TcpProxy = {
  port: number;
  cut(): void;
  restore(): void;
  /** Cuts every connection at `point` the first time a client sends `marker`; resolves then. */
  cutAt(marker: string, point: CutPoint): Promise<void>;
  close(): Promise<void>;
};

/** Forwards 127.0.0.1:<port> to target while up; while cut, drops live connections and refuses new ones. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let up = true;
  let plan: { marker: string; point: CutPoint; fired: () => void } | null = null;
  const sockets = new Set<net.Socket>();
  const cut = () => {
    up = false;
    for (const s of sockets) s.destroy();
  };
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    let awaitingReply = false;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.on("data", (chunk: Buffer) => {
      const current = plan;
      if (current && chunk.includes(current.marker)) {
        plan = null;
        if (current.point === "before-request") {
          cut();
          current.fired();
          return;
        }
        awaitingReply = true;
        upstream.write(chunk);
        upstream.once("data", () => {
          cut();
          current.fired();
        });
        return;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!awaitingReply) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut,
    restore() {
      up = true;
    },
    cutAt(marker, point) {
      return new Promise((resolve) => {
        plan = { marker, point, fired: resolve };
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
