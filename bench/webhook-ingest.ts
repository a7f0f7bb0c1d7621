/**
 * Webhook ingest benchmark. N real orders are placed through /api/checkout on a production
 * server (`next start`) and paid on the Stripe emulator; then their signed
 * checkout.session.completed events are delivered to /api/webhook at a fixed concurrency.
 * Reports sustained events/s and latency percentiles, then measures pgbench's single-row
 * INSERT rate on the same PostgreSQL at the same concurrency as the physical reference.
 *
 *   npm run bench:webhook -- [--orders 600] [--concurrency 10] [--pgbench-seconds 10]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { arg, percentile, runPool } from "./lib";
import { startBenchStore } from "./store";

const ORDERS = arg("orders", 600);
const CONCURRENCY = arg("concurrency", 10);
const PGBENCH_SECONDS = arg("pgbench-seconds", 10);

const store = await startBenchStore(1);
try {
  console.log(`placing and paying ${ORDERS} orders…`);
  const orders = await store.placePaidOrders(ORDERS);
  const app = store.apps[0] as string;
  const warmup = orders.splice(0, Math.min(20, Math.floor(ORDERS / 10)));
  await runPool(warmup, CONCURRENCY, (o) => store.deliver(app, o.event));
  const started = performance.now();
  const latencies = await runPool(orders, CONCURRENCY, (o) => store.deliver(app, o.event));
  const seconds = (performance.now() - started) / 1000;
  const paid = await store.db.order.count({ where: { id: { in: orders.map((o) => o.orderId) }, status: "PAID" } });
  if (paid !== orders.length) throw new Error(`expected ${orders.length} paid orders, found ${paid}`);
  const eventsPerSecond = orders.length / seconds;

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

  console.log(`PostgreSQL ${version[0]?.v}, ${ORDERS} orders, concurrency ${CONCURRENCY}`);
  console.log(
    `webhook ingest: ${orders.length} signed checkout.session.completed deliveries in ${seconds.toFixed(2)} s = ${eventsPerSecond.toFixed(1)} events/s; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
  console.log(`pgbench single-row insert: ${tps.toFixed(1)} tps (-c ${CONCURRENCY}, ${PGBENCH_SECONDS} s)`);
  console.log(
    `ratio: webhook ingest is ${((eventsPerSecond / tps) * 100).toFixed(2)} % of pgbench's insert rate (1 : ${(tps / eventsPerSecond).toFixed(1)})`,
  );
} finally {
  await store.stop();
}
