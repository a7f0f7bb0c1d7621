/** Small helpers shared by the benchmark scripts. */
import { nextServer } from "@/test/next-server";

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
  const server = nextServer({
    port,
    cwd,
    readyPath,
    // Shoppers are told apart by X-Forwarded-For, as a load balancer on loopback would.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TRUSTED_PROXIES: "127.0.0.1, ::1", ...env },
  });
  await server.start();
  return { url: server.url, stop: () => server.stop() };
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
