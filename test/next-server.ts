import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import path from "node:path";

/** The project's root, whose Next.js serves every build started here. */
const ROOT = path.resolve(import.meta.dirname, "..");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

export type NextServerOptions = {
  port: number;
  /** The whole environment of the server (PORT is set from `port`). */
  env: NodeJS.ProcessEnv;
  /** Interface to listen on; Next's default (all) when unset. */
  host?: string;
  /** The app whose `.next` build is served; the project root by default. */
  cwd?: string;
  /** Path that answers 2xx once the server is ready. */
  readyPath?: string;
  /** Append the server's output here; otherwise its stderr goes to this process's stderr. */
  logFile?: string;
};

export type NextServer = {
  port: number;
  url: string;
  logFile: string | undefined;
  /** How many times it has been started. */
  starts: number;
  /** Starts `next start` and resolves once `readyPath` answers 2xx (120 s at most). */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after 30 s; resolves once the process has exited. */
  stop(): Promise<void>;
  pid(): number | undefined;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One `next start` server of a production build, for benches, chaos runs and end-to-end
 * support. It can be stopped and started again; whatever happens, it ends with this process.
 */
export function nextServer(options: NextServerOptions): NextServer {
  const { port, host, readyPath = "/api/health", logFile } = options;
  const cwd = options.cwd ?? ROOT;
  const url = `http://127.0.0.1:${port}`;
  const log = logFile ? createWriteStream(logFile, { flags: "a" }) : undefined;
  const where = logFile ? `; see ${logFile}` : "";
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const server: NextServer = {
    port,
    url,
    logFile,
    starts: 0,
    async start() {
      if (!existsSync(path.join(cwd, ".next", "BUILD_ID")))
        throw new Error(`no production build in ${path.join(cwd, ".next")}: run \`npm run build\` first`);
      log?.write(`\n===== start ${new Date().toISOString()} =====\n`);
      const args = [NEXT_BIN, "start", "-p", String(port), ...(host ? ["-H", host] : [])];
      const started = spawn(process.execPath, args, {
        cwd,
        env: { ...options.env, PORT: String(port) },
        stdio: ["ignore", log ? "pipe" : "ignore", log ? "pipe" : "inherit"],
      });
      child = started;
      if (log) {
        started.stdout?.pipe(log, { end: false });
        started.stderr?.pipe(log, { end: false });
      }
      endWithThisProcess(started);
      exited = new Promise((resolve) => started.once("exit", () => resolve()));
      server.starts += 1;
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (started.exitCode !== null) throw new Error(`next start on :${port} exited during start-up${where}`);
        try {
          const response = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(5_000) });
          if (response.ok) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`next start on :${port} not ready within 120 s${where}`);
        await sleep(250);
      }
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      running.kill("SIGTERM");
      const killed = await Promise.race([exited.then(() => false), sleep(30_000).then(() => true)]);
      if (killed) {
        running.kill("SIGKILL");
        await exited;
      }
    },
    pid: () => child?.pid,
  };
  return server;
}

/** Stops `child` when this process exits, also when an uncaught error skips the caller's cleanup. */
function endWithThisProcess(child: ChildProcess): void {
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
}
