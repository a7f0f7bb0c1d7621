/**
 * The processes a chaos run drives: app instances (`next start`), the embedded PostgreSQL
 * server (restarted under the running apps), a counting proxy in front of the webhook
 * endpoint the emulator delivers to, and a connection holding the reconciler's advisory lock.
 * Everything started here is stopped by its own process id.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { type NextServer, nextServer } from "@/test/next-server";

export const ROOT = path.resolve(import.meta.dirname, "..");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type AppInstance = NextServer & { logFile: string };

/** One `next start` server bound to 127.0.0.1; its output goes to `app-<port>.log` in `logDir`. */
export function appInstance(port: number, env: NodeJS.ProcessEnv, logDir: string): AppInstance {
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(logDir, `app-${port}.log`);
  const server = nextServer({ port, host: "127.0.0.1", env: { ...env, APP_URL: env.APP_URL ?? url }, logFile });
  return Object.assign(server, { logFile });
}

export type StatusCounts = { "2xx": number; "400": number; "5xx": number; refused: number; other: number };
export const emptyCounts = (): StatusCounts => ({ "2xx": 0, "400": 0, "5xx": 0, refused: 0, other: 0 });

export function countStatus(counts: StatusCounts, status: number | "refused"): void {
  if (status === "refused") counts.refused += 1;
  else if (status >= 200 && status < 300) counts["2xx"] += 1;
  else if (status === 400) counts["400"] += 1;
  else if (status >= 500) counts["5xx"] += 1;
  else counts.other += 1;
}

/**
 * A pass-through HTTP proxy between the emulator and one app instance that counts the app's
 * answers. When the app cannot be reached the emulator's connection is cut, so it sees what
 * it would see without the proxy (a connection error) and retries.
 */
export async function countingProxy(targetPort: number, counts: StatusCounts) {
  // A fresh connection per delivery, so a stopping app drains at once instead of serving
  // deliveries on kept-alive sockets until they go idle.
  const agent = new http.Agent({ keepAlive: false });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const upstream = http.request(
        {
          host: "127.0.0.1",
          port: targetPort,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, connection: "close" },
          agent,
        },
        (answer) => {
          countStatus(counts, answer.statusCode ?? 0);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => {
        countStatus(counts, "refused");
        req.socket.destroy();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Holds PostgreSQL advisory lock `key` (the reconciler's) so the apps' periodic reconciler
 * stays idle during the run and dropped deliveries can only be recovered by the explicit
 * `reconcile` at the end. Re-acquires the lock after the database restarts.
 */
export function holdAdvisoryLock(databaseUrl: string, key: number) {
  let client: pg.Client | undefined;
  let stopped = false;
  let held = false;
  const acquire = async (): Promise<void> => {
    while (!stopped) {
      const c = new pg.Client({ connectionString: databaseUrl });
      c.on("error", () => undefined);
      try {
        await c.connect();
        const result = await c.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [key]);
        if (!result.rows[0]?.locked) throw new Error("advisory lock is held elsewhere");
        client = c;
        held = true;
        c.on("end", () => {
          held = false;
          if (!stopped) void acquire();
        });
        return;
      } catch {
        await c.end().catch(() => undefined);
        await sleep(500);
      }
    }
  };
  const ready = acquire();
  return {
    ready,
    isHeld: () => held,
    async release() {
      stopped = true;
      const c = client;
      client = undefined;
      if (c) {
        await c.query("select pg_advisory_unlock($1)", [key]).catch(() => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}

/** The last lines of a log file, for failure messages. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** A POST on a fresh connection (no keep-alive); "refused" when no answer came back. */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ status: number; text: string } | "refused"> {
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent: false,
        timeout: timeoutMs,
        headers: { ...headers, connection: "close", "content-length": String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", () => resolve("refused"));
      },
    );
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", () => resolve("refused"));
    request.end(body);
  });
}
