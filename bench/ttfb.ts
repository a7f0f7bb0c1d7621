/**
 * Product page throughput and time to first byte on a production server (`next start`).
 *
 * autocannon holds `--connections` (50) connections on /products/<slug> for `--seconds` (10)
 * and reports requests/s and full-response latency. Its latency ends at the last byte, so TTFB
 * is measured separately by a probe process: `--samples` (200) sequential requests, first on
 * the idle server and then while the same autocannon load runs (held until the probe is done).
 *
 *   npm run bench:ttfb -- [--connections 50] [--seconds 10] [--samples 200]
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import autocannon from "autocannon";
import { z } from "zod";
import { arg, percentile } from "./lib";
import { startBenchStore } from "./store";

const CONNECTIONS = arg("connections", 50);
const SECONDS = arg("seconds", 10);
const SAMPLES = arg("samples", 200);

const productsSchema = z.object({ products: z.array(z.object({ slug: z.string(), stock: z.number() })) });
const samplesSchema = z.array(z.number());
const run = promisify(execFile);

/** Runs bench/ttfb-probe.ts in its own Node process; resolves with its sorted samples. */
async function probe(url: string): Promise<{ samples: number[] }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/ttfb-probe.ts", url, String(SAMPLES)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return { samples: samplesSchema.parse(JSON.parse(stdout)).sort((a, b) => a - b) };
}

const ms = (sorted: number[], p: number) => `${percentile(sorted, p).toFixed(1)} ms`;
const line = (sorted: number[]) => `p50 ${ms(sorted, 50)}, p95 ${ms(sorted, 95)}, p99 ${ms(sorted, 99)}`;

const store = await startBenchStore(1);
try {
  const app = store.apps[0] as string;
  const { products } = productsSchema.parse(await (await fetch(`${app}/api/products`)).json());
  const product = products.find((p) => p.stock > 0 && !p.slug.startsWith("bench-"));
  if (!product) throw new Error("no seed product to request");
  const url = `${app}/products/${product.slug}`;
  // Warm-up: the first requests load the route's code and read the prerendered page from disk.
  await autocannon({ url, connections: 10, duration: 2 });

  const idle = await probe(url);

  // Phase 1: throughput and full-response latency over the fixed window.
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS }, (error: unknown, done) =>
      error ? reject(error instanceof Error ? error : new Error("autocannon failed")) : resolve(done),
    );
    // Every response's latency, for the p95 autocannon's histogram summary does not give.
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);

  // Phase 2: the same load, held until every TTFB sample is taken (a fixed window would end
  // before 200 slow sequential samples do), so each sample sees the load.
  let stopLoad: () => void = () => undefined;
  const load = new Promise<autocannon.Result>((resolve) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: 3600 }, (_error: unknown, done) =>
      resolve(done),
    );
    stopLoad = () => instance.stop();
  });
  await new Promise((r) => setTimeout(r, 500));
  const loaded = await probe(url).finally(() => stopLoad());
  const during = await load;

  console.log(`GET /products/${product.slug} on next start, ${CONNECTIONS} connections for ${SECONDS} s`);
  console.log(
    `throughput: ${result.requests.average.toFixed(0)} requests/s (${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors)`,
  );
  console.log(`full response latency (autocannon): ${line(latencies)}`);
  console.log(`TTFB, ${SAMPLES} sequential requests, idle server: ${line(idle.samples)}`);
  console.log(
    `TTFB, ${SAMPLES} sequential requests under the same load (${during.requests.average.toFixed(0)} requests/s meanwhile): ${line(loaded.samples)}`,
  );
  if (result.non2xx + result.errors + during.non2xx + during.errors > 0) process.exitCode = 1;
} finally {
  await store.stop();
}
