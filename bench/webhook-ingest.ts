/**
 * Webhook benchmark, one run on one production server (`next start`):
 * - the floor: `/api/health` (one query) at the same concurrency;
 * - ingest: signed checkout.session.completed deliveries to /api/webhook (verify, one INSERT,
 *   answer), with latency percentiles and the ratio to the floor;
 * - settle: how fast the worker turns those deliveries into paid orders, end to end;
 * - Stripe calls per card order and per debit order on the webhook path (deliveries plus the
 *   shopper's success page visit), by endpoint, from the emulator's counters;
 * - pgbench's single-row INSERT rate on the same PostgreSQL, as context;
 * - then the same floor and ingest on an instance that only receives (WEBHOOK_WORKERS=0) while
 *   a second instance settles: the deployment that keeps settling off the receiving event loop;
 * - and on a receiving instance with no settling anywhere during the burst: what the route costs
 *   by itself, with no settling work sharing the machine's cores.
 *
 *   npm run bench:webhook -- [--orders 600] [--debit-orders 100] [--concurrency 10]
 *                            [--health-requests 3000] [--pgbench-seconds 10]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { arg, percentile, runPool } from "./lib";
import { startBenchStore, type BenchStore, type PaidOrder } from "./store";

const ORDERS = arg("orders", 600);
const DEBIT_ORDERS = arg("debit-orders", 100);
const CONCURRENCY = arg("concurrency", 10);
const HEALTH_REQUESTS = arg("health-requests", 3000);
const PGBENCH_SECONDS = arg("pgbench-seconds", 10);

const rate = (n: number, ms: number) => (n / ms) * 1000;
const fmt = (n: number) => n.toFixed(1);
const line = (latencies: number[]) =>
  `p50 ${fmt(percentile(latencies, 50))} ms, p95 ${fmt(percentile(latencies, 95))} ms, p99 ${fmt(percentile(latencies, 99))} ms`;

async function timed(items: number, task: (i: number) => Promise<void>) {
  const started = performance.now();
  const latencies = await runPool([...Array(items).keys()], CONCURRENCY, task);
  return { perSecond: rate(items, performance.now() - started), latencies };
}

async function waitUntilPaid(store: BenchStore, orders: PaidOrder[]): Promise<number> {
  const ids = orders.map((o) => o.orderId);
  for (;;) {
    const paid = await store.db.order.count({ where: { id: { in: ids }, status: "PAID" } });
    if (paid === ids.length) return performance.now();
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function visitSuccessPage(app: string, order: PaidOrder): Promise<void> {
  const query = new URLSearchParams({ session_id: order.sessionId, order: order.orderId, token: order.token });
  const response = await fetch(`${app}/checkout/success?${query.toString()}`);
  await response.text();
  if (!response.ok) throw new Error(`success page answered ${response.status}`);
}

function perOrder(counts: Record<string, number>, orders: number): string {
  const entries = Object.entries(counts).sort();
  const total = entries.reduce((n, [, c]) => n + c, 0);
  const detail = entries.map(([endpoint, c]) => `${endpoint} ${(c / orders).toFixed(2)}`).join(", ");
  return `${(total / orders).toFixed(2)} per order${detail ? ` (${detail})` : " (none)"}`;
}

/** Warms the health route and the webhook (with the first few orders, settled); returns the rest. */
async function warmUp(store: BenchStore, app: string, orders: PaidOrder[]): Promise<PaidOrder[]> {
  await runPool([...Array(50).keys()], CONCURRENCY, async () => void (await fetch(`${app}/api/health`)).text());
  const warmup = orders.slice(0, Math.min(20, Math.floor(orders.length / 10)));
  await runPool(warmup, CONCURRENCY, (o) => store.deliver(app, o.event));
  await waitUntilPaid(store, warmup);
  return orders.slice(warmup.length);
}

/** The floor: `/api/health` (one query) at the benchmark's concurrency. */
function measureFloor(app: string) {
  return timed(HEALTH_REQUESTS, async () => {
    const response = await fetch(`${app}/api/health`);
    await response.text();
    if (!response.ok) throw new Error(`health answered ${response.status}`);
  });
}

console.log("one instance that receives and settles:");
const store = await startBenchStore(1);
try {
  const app = store.apps[0] as string;
  console.log(`placing and paying ${ORDERS} card orders and ${DEBIT_ORDERS} debit orders…`);
  const debits = await store.placePaidOrders(DEBIT_ORDERS, "async_success");
  // Warm both routes, then measure the floor and the ingest side by side.
  const cards = await warmUp(store, app, await store.placePaidOrders(ORDERS));
  store.takeStripeRequests();

  const health = await measureFloor(app);
  const ingestStarted = performance.now();
  const ingest = await timed(cards.length, (i) => store.deliver(app, (cards[i] as PaidOrder).event));
  const settledAt = await waitUntilPaid(store, cards);
  const settlePerSecond = rate(cards.length, settledAt - ingestStarted);
  // The same deliveries again: duplicates, which leave the worker nothing to do.
  const redelivery = await timed(cards.length, (i) => store.deliver(app, (cards[i] as PaidOrder).event));
  await runPool(cards, CONCURRENCY, (o) => visitSuccessPage(app, o));
  // The success page asks the worker to check only orders still unpaid; give it time to (not) do so.
  await new Promise((r) => setTimeout(r, 3_000));
  const cardCalls = store.takeStripeRequests();

  await runPool(debits, CONCURRENCY, async (o) => {
    const [completed, ...rest] = o.events;
    if (completed) await store.deliver(app, completed);
    await visitSuccessPage(app, o);
    for (const event of rest) await store.deliver(app, event);
  });
  await waitUntilPaid(store, debits);
  await new Promise((r) => setTimeout(r, 3_000));
  const debitCalls = store.takeStripeRequests();

  const databaseUrl = process.env.DATABASE_URL ?? "";
  const script = path.join(mkdtempSync(path.join(tmpdir(), "pgbench-")), "insert.sql");
  writeFileSync(script, "insert into bench_ingest(v) values (1);\n");
  await store.db.$executeRawUnsafe(
    "create table if not exists bench_ingest (id bigserial primary key, v int not null, at timestamptz not null default now())",
  );
  const pgbench = execFileSync(
    "pgbench",
    ["-n", "-f", script, "-c", String(CONCURRENCY), "-j", "2", "-T", String(PGBENCH_SECONDS), databaseUrl],
    { encoding: "utf8" },
  );
  await store.db.$executeRawUnsafe("drop table bench_ingest");
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(pgbench)?.[1] ?? NaN);
  const version = await store.db.$queryRaw<Array<{ v: string }>>`select current_setting('server_version') as v`;

  const ratio = ingest.perSecond / health.perSecond;
  const cardTotal = Object.values(cardCalls).reduce((n, c) => n + c, 0) / cards.length;
  const debitTotal = Object.values(debitCalls).reduce((n, c) => n + c, 0) / debits.length;
  console.log(`PostgreSQL ${version[0]?.v}, concurrency ${CONCURRENCY}, one next start`);
  console.log(`floor: /api/health ${fmt(health.perSecond)} requests/s; ${line(health.latencies)}`);
  console.log(
    `ingest: ${cards.length} signed checkout.session.completed deliveries at ${fmt(ingest.perSecond)} events/s; ${line(ingest.latencies)}`,
  );
  console.log(
    `redelivery of the same events (duplicates, the worker idle): ${fmt(redelivery.perSecond)} events/s; ${line(redelivery.latencies)}; ${(redelivery.perSecond / health.perSecond).toFixed(2)} × the floor`,
  );
  console.log(
    `ratio: ingest is ${ratio.toFixed(2)} × the /api/health rate (target ≥ 0.80: ${ratio >= 0.8 ? "met" : "MISSED"})`,
  );
  console.log(
    `settle: ${cards.length} orders paid ${fmt(settlePerSecond)} orders/s from the first delivery to the last commit`,
  );
  console.log(
    `pgbench single-row insert: ${fmt(tps)} tps (-c ${CONCURRENCY}, ${PGBENCH_SECONDS} s); ingest is ${((ingest.perSecond / tps) * 100).toFixed(1)} % of it`,
  );
  console.log(
    `Stripe calls per card order (deliveries + success page): ${perOrder(cardCalls, cards.length)} (target ≤ 1: ${cardTotal <= 1 ? "met" : "MISSED"})`,
  );
  console.log(
    `Stripe calls per debit order (two deliveries + success page): ${perOrder(debitCalls, debits.length)} (target ≤ 2: ${debitTotal <= 2 ? "met" : "MISSED"})`,
  );
} finally {
  await store.stop();
}

// Roles split: instance A only receives, instance B settles what A records.
const split = await startBenchStore(2, undefined, [{ WEBHOOK_WORKERS: "0" }, {}]);
try {
  const receiver = split.apps[0] as string;
  const orders = await warmUp(split, receiver, await split.placePaidOrders(ORDERS));
  const health = await measureFloor(receiver);
  const started = performance.now();
  const ingest = await timed(orders.length, (i) => split.deliver(receiver, (orders[i] as PaidOrder).event));
  const settled = rate(orders.length, (await waitUntilPaid(split, orders)) - started);
  const ratio = ingest.perSecond / health.perSecond;
  console.log(`receiving instance (WEBHOOK_WORKERS=0) with a second instance settling:`);
  console.log(`  floor: /api/health ${fmt(health.perSecond)} requests/s; ${line(health.latencies)}`);
  console.log(`  ingest: ${fmt(ingest.perSecond)} events/s; ${line(ingest.latencies)}`);
  console.log(
    `  ratio: ingest is ${ratio.toFixed(2)} × the /api/health rate (target ≥ 0.80: ${ratio >= 0.8 ? "met" : "MISSED"}); settled by the other instance at ${fmt(settled)} orders/s`,
  );
} finally {
  await split.stop();
}

// The receiving route by itself: nothing settles while the burst is recorded.
const alone = await startBenchStore(1, undefined, [{ WEBHOOK_WORKERS: "0" }]);
try {
  const receiver = alone.apps[0] as string;
  const orders = await alone.placePaidOrders(ORDERS);
  await runPool([...Array(50).keys()], CONCURRENCY, async () => void (await fetch(`${receiver}/api/health`)).text());
  const warmup = orders.slice(0, Math.min(20, Math.floor(orders.length / 10)));
  await runPool(warmup, CONCURRENCY, (o) => alone.deliver(receiver, o.event));
  const burst = orders.slice(warmup.length);
  const health = await measureFloor(receiver);
  const ingest = await timed(burst.length, (i) => alone.deliver(receiver, (burst[i] as PaidOrder).event));
  const ratio = ingest.perSecond / health.perSecond;
  console.log(`receiving instance (WEBHOOK_WORKERS=0) with nothing settling during the burst:`);
  console.log(`  floor: /api/health ${fmt(health.perSecond)} requests/s; ${line(health.latencies)}`);
  console.log(`  ingest: ${fmt(ingest.perSecond)} events/s; ${line(ingest.latencies)}`);
  console.log(
    `  ratio: ingest is ${ratio.toFixed(2)} × the /api/health rate (target ≥ 0.80: ${ratio >= 0.8 ? "met" : "MISSED"})`,
  );
} finally {
  await alone.stop();
}
