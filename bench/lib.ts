/** Small helpers shared by the benchmark scripts. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Ports the benches listen on. Overridable so a bench can run beside a dev server or another
 * checkout's benches on the same machine (BENCH_APP_PORT=3800 BENCH_EMULATOR_PORT=12160).
 */
export function benchAppPort(fallback = 3200): number {
  return envPort("BENCH_APP_PORT") ?? fallback;
}

/** 0 lets the operating system pick a free port. */
export function benchEmulatorPort(): number {
  return envPort("BENCH_EMULATOR_PORT") ?? 0;
}

function envPort(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

/**
 * Runs `next start` on a port with extra environment and waits until `readyPath` (default
 * /api/health) answers; `cwd` serves another app's build with this checkout's Next.js.
 */
export async function startNext(
  port: number,
  env: Record<string, string>,
  { cwd, readyPath = "/api/health" }: { cwd?: string; readyPath?: string } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port)],
    {
      cwd,
      // Shoppers are told apart by X-Forwarded-For, as a load balancer on loopback would.
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TRUSTED_PROXIES: "127.0.0.1, ::1", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  endWithThisProcess(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${readyPath}`, child);
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Stops `child` when this process exits, also when an uncaught error skips the bench's cleanup. */
function endWithThisProcess(child: ChildProcess): void {
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
}

/** Waits until `url` answers 2xx, failing if `child` exits first or 60 s pass. */
async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`next start exited with ${child.exitCode}; run \`npm run build\` first`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer in 60 s`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs `tasks` with at most `concurrency` in flight; returns each task's latency in ms. */
export async function runPool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const started = performance.now();
        await task(item);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}
