/**
 * Flash sale at Stripe's real pace. The emulator answers with the realistic latency profile
 * and Stripe's default limits (25 requests/s per endpoint, 25/s per key as in a sandbox) and
 * delivers its webhooks to the store, some of them twice. Shoppers open checkouts at the
 * per-endpoint limit for the whole run (about 70 % pay by card, 30 % by a delayed debit, a
 * fifth of which fails). Then the debits settle.
 *
 * Prints: deliveries the store answered 5xx (goal 0); the 429s Stripe gave the store and what
 * became of those checkouts; settle lag from the event's creation to the order's update
 * (goal p99 ≤ 5 s); Stripe calls per order by endpoint; and a check of every order against
 * what its payment should have made of it. Stops by itself.
 *
 * With --success-pages every shopper also loads the success page after paying.
 *
 *   npm run bench:flash-sale -- [--rate 25] [--seconds 60] [--debit-delay 8] [--success-pages]
 */
import { createPrismaClient } from "@/lib/db/create-client";
import { startEmulator, type Scenario, type StripeEvent } from "@/stripe-emulator";
import { arg, benchAppPort, benchEmulatorPort, percentile, startNext } from "./lib";

const RATE = arg("rate", 25);
const SECONDS = arg("seconds", 60);
const DEBIT_DELAY_S = arg("debit-delay", 8);
const SUCCESS_PAGES = process.argv.includes("--success-pages");
const SECRET = "whsec_flash_sale";
const SUCCESS_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

type Sale = { orderId: string; sessionId: string; scenario: Scenario };

// Every delivery attempt's answer, read from the emulator's delivery log while the sale runs
// (the log keeps the last 5,000 attempts; it is read every 2 s, well within that).
const answers = new Map<string, number>();
const seenAttempts = new Set<string>();
const appPort = benchAppPort();
// When each session's deciding event was created, to the millisecond.
const decidedAt = new Map<string, { at: number; eventId: string }>();
const emulator = await startEmulator({
  port: benchEmulatorPort(),
  webhookEndpoints: [{ url: `http://127.0.0.1:${appPort}/api/webhook`, secret: SECRET }],
  asyncDelaySeconds: DEBIT_DELAY_S,
  latency: "realistic",
  rateLimit: "sandbox",
  onEvent: (event: StripeEvent) => {
    const id = (event.data.object as { id?: string }).id;
    if (id?.startsWith("cs_") && (SUCCESS_EVENTS.has(event.type) || event.type.endsWith("async_payment_failed")))
      decidedAt.set(`${id}:${event.type}`, { at: Date.now(), eventId: event.id });
  },
});
// Stripe sends deliveries concurrently and sometimes twice.
emulator.configure({ duplicate: 0.1, deliveryConcurrency: 10 });
const databaseUrl = process.env.DATABASE_URL ?? "";
const app = await startNext(appPort, {
  DATABASE_URL: databaseUrl,
  STRIPE_SECRET_KEY: emulator.apiKey,
  STRIPE_WEBHOOK_SECRET: SECRET,
  STRIPE_API_BASE: emulator.url,
  APP_URL: `http://localhost:${appPort}`,
});
const db = createPrismaClient(databaseUrl, 4);

async function readDeliveryLog(): Promise<void> {
  const log = (await (await fetch(`${emulator.url}/_emulator/deliveries?limit=5000`)).json()) as {
    data: Array<{ id: string; status_code: number | null }>;
  };
  for (const attempt of log.data) {
    if (seenAttempts.has(attempt.id)) continue;
    seenAttempts.add(attempt.id);
    const key = attempt.status_code === null ? "no answer" : `${Math.floor(attempt.status_code / 100)}xx`;
    answers.set(key, (answers.get(key) ?? 0) + 1);
  }
}
const logReader = setInterval(() => void readDeliveryLog(), 2_000);

try {
  const product = await db.product.create({
    data: {
      slug: `flash-${Date.now()}`,
      name: "Flash sale item",
      description: "Benchmark",
      image: "/products/brass-pen.svg",
      unitAmount: 1500,
      currency: "eur",
      stockOnHand: 1_000_000,
    },
  });
  emulator.resetRequestCounts();
  const statuses = new Map<number, number>();
  const checkoutMs: number[] = [];
  const sales: Sale[] = [];
  const pending: Array<Promise<void>> = [];
  const total = RATE * SECONDS;
  const started = performance.now();
  console.log(
    `flash sale: ${total} checkouts at ${RATE}/s for ${SECONDS} s against realistic latency and sandbox limits…`,
  );
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const scenario: Scenario = i % 10 < 7 ? "card_success" : i % 10 < 9 ? "async_success" : "async_failure";
    pending.push(
      (async () => {
        const t0 = performance.now();
        const response = await fetch(`${app.url}/api/checkout`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-forwarded-for": `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`,
          },
          body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] }),
        });
        checkoutMs.push(performance.now() - t0);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (!response.ok) return void (await response.text());
        const body = (await response.json()) as { orderId: string; url: string; statusUrl: string };
        const sessionId = body.url.split("/").pop() as string;
        emulator.pay(sessionId, scenario);
        sales.push({ orderId: body.orderId, sessionId, scenario });
        if (!SUCCESS_PAGES) return;
        const token = new URL(body.statusUrl).searchParams.get("token") ?? "";
        const query = new URLSearchParams({ session_id: sessionId, order: body.orderId, token });
        await (await fetch(`${app.url}/checkout/success?${query.toString()}`)).text();
      })(),
    );
  }
  await Promise.all(pending);
  const saleSeconds = (performance.now() - started) / 1000;
  console.log(`checkouts done in ${saleSeconds.toFixed(1)} s; waiting for the debits and deliveries…`);

  // Debits settle DEBIT_DELAY_S after payment (the emulator fires due outcomes when asked, as
  // any API request would); then every delivery (retries included) must end.
  const debitsDue = Date.now() + DEBIT_DELAY_S * 1000 + 1000;
  while (Date.now() < debitsDue) {
    emulator.advanceClock(0);
    await new Promise((r) => setTimeout(r, 250));
  }
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    emulator.advanceClock(0);
    const flushed = await emulator.flushDeliveries(60_000);
    const open = await db.webhookEvent.count({ where: { processedAt: null, outcome: "RECEIVED" } });
    if (flushed.idle && open === 0) break;
    if (Date.now() > deadline) throw new Error(`not settled after 5 min: ${JSON.stringify(flushed)}, ${open} open`);
    await new Promise((r) => setTimeout(r, 200));
  }

  clearInterval(logReader);
  await readDeliveryLog();
  const counts = emulator.requestCounts();
  const orders = await db.order.findMany({
    where: { id: { in: sales.map((s) => s.orderId) } },
    select: { id: true, status: true, paymentStatus: true, paidAt: true, updatedAt: true, stockState: true },
  });
  const byId = new Map(orders.map((o) => [o.id, o]));
  const lags: number[] = [];
  const deliveryLags: number[] = [];
  const settleLags: number[] = [];
  const mismatches: string[] = [];
  const inbox = new Map(
    (
      await db.webhookEvent.findMany({
        where: { stripeEventId: { in: [...decidedAt.values()].map((d) => d.eventId) } },
        select: { stripeEventId: true, receivedAt: true, processedAt: true },
      })
    ).map((e) => [e.stripeEventId, e]),
  );
  for (const sale of sales) {
    const order = byId.get(sale.orderId);
    const want = sale.scenario === "async_failure" ? "FAILED" : "PAID";
    if (!order || order.status !== want || order.stockState !== (want === "PAID" ? "COMMITTED" : "RELEASED")) {
      mismatches.push(`${sale.orderId} (${sale.scenario}): ${order?.status ?? "missing"}/${order?.stockState ?? "-"}`);
      continue;
    }
    const deciding =
      sale.scenario === "card_success"
        ? "checkout.session.completed"
        : sale.scenario === "async_success"
          ? "checkout.session.async_payment_succeeded"
          : "checkout.session.async_payment_failed";
    const created = decidedAt.get(`${sale.sessionId}:${deciding}`);
    const changedAt = (want === "PAID" ? order.paidAt : order.updatedAt)?.getTime();
    if (created && changedAt) lags.push(changedAt - created.at);
    const row = created ? inbox.get(created.eventId) : undefined;
    if (created && row) deliveryLags.push(row.receivedAt.getTime() - created.at);
    if (row?.processedAt) settleLags.push(row.processedAt.getTime() - row.receivedAt.getTime());
  }
  for (const list of [lags, deliveryLags, settleLags]) list.sort((a, b) => a - b);
  checkoutMs.sort((a, b) => a - b);
  const f = (list: number[], p: number) => percentile(list, p).toFixed(0);
  const perOrder = Object.entries(counts.requests)
    .sort()
    .map(([endpoint, n]) => `${endpoint} ${(n / sales.length).toFixed(2)}`)
    .join(", ");
  const rateLimited = Object.entries(counts.rateLimited)
    .map(([endpoint, n]) => `${endpoint} ${n}`)
    .join(", ");
  const fivexx = answers.get("5xx") ?? 0;

  console.log(
    `checkouts: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}; latency p50 ${f(checkoutMs, 50)} ms, p95 ${f(checkoutMs, 95)} ms, p99 ${f(checkoutMs, 99)} ms`,
  );
  console.log(
    `deliveries to the store: ${[...answers].map(([k, n]) => `${n}× ${k}`).join(", ")}; answered 5xx: ${fivexx} (goal 0: ${fivexx === 0 ? "met" : "MISSED"})`,
  );
  console.log(
    `429s from Stripe: ${counts.totalRateLimited}${rateLimited ? ` (${rateLimited})` : ""}; absorbed by retrying within the checkout's wait, ${statuses.get(503) ?? 0} checkouts answered 503 "try again" with their stock released`,
  );
  console.log(
    `settle lag (event created → order updated), ${lags.length} orders: p50 ${f(lags, 50)} ms, p95 ${f(lags, 95)} ms, p99 ${f(lags, 99)} ms, max ${f(lags, 100)} ms (goal p99 ≤ 5000: ${percentile(lags, 99) <= 5000 ? "met" : "MISSED"})`,
  );
  console.log(
    `  of which delivery (event created → recorded by the store): p50 ${f(deliveryLags, 50)} ms, p95 ${f(deliveryLags, 95)} ms, p99 ${f(deliveryLags, 99)} ms; settling (recorded → processed): p50 ${f(settleLags, 50)} ms, p95 ${f(settleLags, 95)} ms, p99 ${f(settleLags, 99)} ms`,
  );
  console.log(
    `Stripe calls per order (${sales.length} orders): ${(counts.total / sales.length).toFixed(2)} — ${perOrder}`,
  );
  console.log(
    `oracle: ${sales.length - mismatches.length}/${sales.length} orders as their payment says${mismatches.length ? `; first mismatches: ${mismatches.slice(0, 5).join("; ")}` : ""} ${mismatches.length === 0 ? "OK" : "FAILED"}`,
  );
  if (mismatches.length > 0 || fivexx > 0) process.exitCode = 1;
} finally {
  await db.$disconnect();
  await app.stop();
  await emulator.stop();
  clearInterval(logReader);
}
