/**
 * Webhook ingest benchmark. A production server (`next start`) and the Stripe emulator; N
 * real orders are placed through /api/checkout and paid; then their signed
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
import Stripe from "stripe";
import { createPrismaClient } from "@/lib/db/create-client";
import { startEmulator } from "@/stripe-emulator";
import { arg, percentile, runPool, startNext } from "./lib";

const ORDERS = arg("orders", 600);
const CONCURRENCY = arg("concurrency", 10);
const PGBENCH_SECONDS = arg("pgbench-seconds", 10);
const SECRET = "whsec_bench_webhook_ingest";
const databaseUrl = process.env.DATABASE_URL ?? "";

const emulator = await startEmulator({ port: 0, webhookEndpoints: [] });
const stripe = new Stripe(emulator.apiKey, emulator.stripeClientOptions());
const app = await startNext(3200, {
  DATABASE_URL: databaseUrl,
  STRIPE_SECRET_KEY: emulator.apiKey,
  STRIPE_WEBHOOK_SECRET: SECRET,
  STRIPE_API_BASE: emulator.url,
  APP_URL: "http://localhost:3200",
});
const db = createPrismaClient(databaseUrl, 2);

try {
  const product = await db.product.create({
    data: {
      slug: `bench-${Date.now()}`,
      name: "Bench item",
      description: "Benchmark",
      image: "/products/brass-pen.svg",
      unitAmount: 1000,
      currency: "eur",
      stockOnHand: 1_000_000,
    },
  });
  console.log(`placing and paying ${ORDERS} orders…`);
  const sessions: string[] = [];
  await runPool([...Array(ORDERS).keys()], 8, async (i) => {
    const response = await fetch(`${app.url}/api/checkout`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i % 250}-${i}` },
      body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] }),
    });
    if (!response.ok) throw new Error(`checkout failed: ${response.status} ${await response.text()}`);
    const { url } = (await response.json()) as { url: string };
    const sessionId = url.split("/").pop() as string;
    emulator.pay(sessionId, "card_success");
    sessions.push(sessionId);
  });
  const events: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ type: "checkout.session.completed", limit: 100 })) events.push(event);
  if (events.length !== ORDERS) throw new Error(`expected ${ORDERS} events, found ${events.length}`);

  const deliver = async (event: Stripe.Event) => {
    const payload = JSON.stringify(event, null, 2);
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const response = await fetch(`${app.url}/api/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  const warmup = events.splice(0, Math.min(20, Math.floor(ORDERS / 10)));
  await runPool(warmup, CONCURRENCY, deliver);
  const started = performance.now();
  const latencies = await runPool(events, CONCURRENCY, deliver);
  const seconds = (performance.now() - started) / 1000;
  const paid = await db.order.count({ where: { status: "PAID", items: { some: { productId: product.id } } } });
  if (paid !== ORDERS) throw new Error(`expected ${ORDERS} paid orders, found ${paid}`);
  const eventsPerSecond = events.length / seconds;

  const script = path.join(mkdtempSync(path.join(tmpdir(), "pgbench-")), "insert.sql");
  writeFileSync(script, "insert into bench_ingest(v) values (1);\n");
  await db.$executeRawUnsafe(
    "create table if not exists bench_ingest (id bigserial primary key, v int not null, at timestamptz not null default now())",
  );
  const pgbench = execFileSync(
    "pgbench",
    ["-n", "-f", script, "-c", String(CONCURRENCY), "-j", "2", "-T", String(PGBENCH_SECONDS), databaseUrl],
    { encoding: "utf8" },
  );
  await db.$executeRawUnsafe("drop table bench_ingest");
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(pgbench)?.[1] ?? NaN);
  const version = await db.$queryRaw<Array<{ v: string }>>`select current_setting('server_version') as v`;

  console.log(`PostgreSQL ${version[0]?.v}, ${ORDERS} orders, concurrency ${CONCURRENCY}`);
  console.log(
    `webhook ingest: ${events.length} signed checkout.session.completed deliveries in ${seconds.toFixed(2)} s = ${eventsPerSecond.toFixed(1)} events/s; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );
  console.log(`pgbench single-row insert: ${tps.toFixed(1)} tps (-c ${CONCURRENCY}, ${PGBENCH_SECONDS} s)`);
  console.log(
    `ratio: webhook ingest is ${((eventsPerSecond / tps) * 100).toFixed(2)} % of pgbench's insert rate (1 : ${(tps / eventsPerSecond).toFixed(1)})`,
  );
} finally {
  await db.$disconnect();
  await app.stop();
  await emulator.stop();
}
