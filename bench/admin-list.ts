/**
 * Admin orders list benchmark. Seeds N generated orders (prisma/seed-orders.ts) into the
 * launcher's fresh database, runs ANALYZE, then times `listOrders` — the query behind
 * /admin/orders — for the filters, sorts, searches and deep pages an admin uses. Each case
 * runs 5 times to warm up, then 50 times measured, one after another.
 *
 *   npm run bench:admin -- [--orders 50000]
 */
import { arg, percentile } from "./lib";
import { createPrismaClient } from "@/lib/db/create-client";
import { db as appDb } from "@/lib/db";
import { listOrders } from "@/lib/admin/orders-query";
import { orderFiltersSchema, PAGE_SIZE } from "@/lib/admin/order-filters";
import { seedOrders } from "@/prisma/seed-orders";

const ORDERS = arg("orders", 50_000);
const WARMUP = 5;
const RUNS = 50;
const SLOW_MS = 20;

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is not set; run this through `npm run bench:admin`.");
const db = createPrismaClient(databaseUrl, 2);

const day = (date: Date) => date.toISOString().slice(0, 10);
const ms = (value: number) => `${value.toFixed(2)} ms`;

type Case = { name: string; filters: Record<string, string> };
type Result = { name: string; p50: number; p95: number; max: number; rows: number };

async function timeCase({ name, filters: raw }: Case): Promise<Result> {
  const filters = orderFiltersSchema.parse(raw);
  let rows = 0;
  for (let i = 0; i < WARMUP; i += 1) rows = (await listOrders(filters)).rows.length;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await listOrders(filters);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return {
    name,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples.at(-1) ?? Number.NaN,
    rows,
  };
}

try {
  const version = await db.$queryRaw<Array<{ v: string }>>`select current_setting('server_version') as v`;
  console.log(`PostgreSQL ${version[0]?.v}; seeding ${ORDERS} orders…`);
  const seedStarted = performance.now();
  const seeded = await seedOrders(db, ORDERS);
  const seedMs = performance.now() - seedStarted;
  if (seeded.skipped) console.log(`seed skipped: ${seeded.existing} seeded orders already exist (no --fresh?)`);
  else
    console.log(
      `seeded ${seeded.orders} orders, ${seeded.items} items, ${seeded.sessions} checkout sessions, ${seeded.transactions} ledger rows in ${ms(seedMs)}`,
    );
  await db.$executeRawUnsafe("analyze");
  const total = await db.order.count();

  // Probes taken from the data, so every search finds something.
  const sample = await db.order.findFirstOrThrow({
    where: { stripePaymentIntentId: { startsWith: "pi_seed_" }, email: { not: null } },
    orderBy: { createdAt: "asc" },
    skip: Math.floor(total / 3),
    select: { id: true, email: true, stripePaymentIntentId: true },
  });
  const session = await db.checkoutSession.findFirstOrThrow({
    where: { id: { startsWith: "cs_seed_" } },
    orderBy: { createdAt: "desc" },
    skip: Math.floor(total / 2),
    select: { id: true },
  });
  const now = Date.now();
  const month = { from: day(new Date(now - 75 * 86_400_000)), to: day(new Date(now - 45 * 86_400_000)) };

  // Page 20: follow the cursor 19 times from the first page; the 20th fetch is the one timed.
  let cursor: string | undefined;
  for (let page = 1; page < 20; page += 1) {
    const { nextCursor } = await listOrders(orderFiltersSchema.parse({ cursor }));
    if (!nextCursor) throw new Error(`only ${page} pages of orders; seed more than ${20 * PAGE_SIZE}`);
    cursor = nextCursor;
  }

  const cases: Case[] = [
    { name: "first page, newest", filters: {} },
    { name: "status=PAID", filters: { status: "PAID" } },
    { name: "currency=usd", filters: { currency: "usd" } },
    { name: `date range ${month.from}..${month.to}`, filters: month },
    { name: "sort by amount asc", filters: { sort: "amount", dir: "asc" } },
    { name: "page 20 via cursor", filters: { cursor: cursor ?? "" } },
    { name: "search exact email", filters: { q: sample.email ?? "" } },
    { name: "search email fragment customer12", filters: { q: "customer12" } },
    { name: "search order id", filters: { q: sample.id } },
    { name: "search cs_seed_… id", filters: { q: session.id } },
    { name: "search pi_seed_… id", filters: { q: sample.stripePaymentIntentId ?? "" } },
    { name: "status+currency+date", filters: { status: "PAID", currency: "usd", ...month } },
  ];

  console.log(`${total} orders; ${WARMUP} warm-up + ${RUNS} timed runs per case, page size ${PAGE_SIZE}`);
  const results: Result[] = [];
  const width = Math.max(...cases.map((c) => c.name.length));
  for (const c of cases) {
    const result = await timeCase(c);
    results.push(result);
    console.log(
      `${result.name.padEnd(width)}  p50 ${ms(result.p50).padStart(9)}  p95 ${ms(result.p95).padStart(9)}  max ${ms(result.max).padStart(9)}  rows ${result.rows}`,
    );
    if (result.rows === 0) throw new Error(`case "${result.name}" found no orders`);
  }
  const slowest = results.reduce((a, b) => (b.p50 > a.p50 ? b : a));
  const slow = results.filter((r) => r.p50 > SLOW_MS).map((r) => r.name);
  const median = [...results.map((r) => r.p50)].sort((a, b) => a - b);
  console.log(
    `summary: ${total} orders, ${results.length} cases; first page p50 ${ms(results[0]?.p50 ?? Number.NaN)}; median of case p50s ${ms(percentile(median, 50))}; slowest p50 ${ms(slowest.p50)} (${slowest.name}); ${slow.length ? `over ${SLOW_MS} ms p50: ${slow.join(", ")}` : `all p50 under ${SLOW_MS} ms`}; seed ${ms(seedMs)}`,
  );
} finally {
  await appDb.$disconnect();
  await db.$disconnect();
}
