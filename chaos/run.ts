/**
 * `npm run test:chaos`: proves that orders end right under the delivery conditions real
 * stores see. Runs under the launcher (which provides DATABASE_URL on a fresh database):
 *
 *   tsx tooling/launcher/run.ts --no-payments --database storefront_chaos --fresh -- \
 *     tsx chaos/run.ts --orders 10000 [--instances 2] [--seed 1] [--concurrency 8] [--timeout-min M]
 *
 * It starts the Stripe emulator in-process (shuffled deliveries, a small drop rate, a retry
 * schedule long enough to ride over restarts) and the production app (`next start`, one or
 * two instances on ports 3600/3601), places N orders through the real checkout, pays or
 * abandons each according to a seeded scenario, adds duplicate, forged, stale and burst
 * deliveries, restarts PostgreSQL and the app once each mid-run, waits for the emulator to go
 * idle, runs the reconciler once, and compares the database with an oracle computed from the
 * scenario list alone. One summary line at the end; exit 0 only when nothing is off.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import Stripe from "stripe";
import { createPrismaClient } from "@/lib/db/create-client";
import { HANDLED_EVENT_TYPES } from "@/lib/orders/handled-events";
import { type RunningEmulator, type StripeEvent, startEmulator } from "@/stripe-emulator";
import { restartEmbeddedDatabase } from "@/test/database-restart";
import { ChaosDeliverer, FORGED_EVENT_PREFIX } from "./deliveries";
import { EMAIL_KINDS, type EmailKind, expectedFor, expectedStock, makePlan, type PlannedOrder, prng } from "./plan";
import {
  type AppInstance,
  appInstance,
  countingProxy,
  emptyCounts,
  holdAdvisoryLock,
  post,
  ROOT,
  tail,
} from "./processes";

// ---------------------------------------------------------------------------------------------
// Configuration

const { values: flags } = parseArgs({
  options: {
    orders: { type: "string", default: "2000" },
    seed: { type: "string", default: "20260101" },
    instances: { type: "string", default: "1" },
    concurrency: { type: "string", default: "8" },
    "timeout-min": { type: "string" },
    "async-delay": { type: "string", default: "3" },
    drop: { type: "string", default: "0.02" },
    port: { type: "string", default: "3600" },
    // Stripe's pace: realistic latency, Stripe's live-account limits, and 2 % of requests 429.
    "stripe-pace": { type: "boolean", default: false },
  },
  strict: true,
});
const ORDERS = positive("orders");
const SEED = Number(flags.seed);
const INSTANCES = positive("instances");
const CONCURRENCY = positive("concurrency");
const ASYNC_DELAY_S = Number(flags["async-delay"]);
const DROP = Number(flags.drop);
const BASE_PORT = positive("port");
const TIMEOUT_MIN = flags["timeout-min"] ? Number(flags["timeout-min"]) : Math.ceil(15 + ORDERS / 150);
const RETRY_SCHEDULE = [1, 2, 4, 8, 15, 30];
/** lib/orders/reconcile.ts RECONCILE_LOCK (that module is server-only, so the number is repeated here). */
const RECONCILE_LOCK = 727_001;
const WEBHOOK_SECRET = `whsec_chaos_${SEED}`;
const DATABASE_URL = process.env.DATABASE_URL ?? "";
const STRIPE_PACE = flags["stripe-pace"] === true;

function positive(name: "orders" | "instances" | "concurrency" | "port"): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

const startedAt = Date.now();
const log = (line: string) => console.log(`[chaos +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// What the run started, so every exit path stops it

const started: {
  apps: AppInstance[];
  emulator?: RunningEmulator;
  proxy?: { close(): Promise<void> };
  lock?: { release(): Promise<void> };
} = { apps: [] };
let phase = "starting";

async function cleanup(): Promise<void> {
  await Promise.allSettled(started.apps.map((app) => app.stop()));
  await started.emulator?.stop().catch(() => undefined);
  await started.proxy?.close().catch(() => undefined);
  await started.lock?.release().catch(() => undefined);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.error(`chaos: interrupted by ${signal} during ${phase}`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// The run

type Placed = { orderId: string; sessionId: string; paymentIntentId: string | null };

async function main(): Promise<number> {
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set: run through `npm run test:chaos`");
  const logDir = mkdtempSync(path.join(os.tmpdir(), "storefront-chaos-"));
  const plan = makePlan(SEED, ORDERS);
  log(
    `plan: ${ORDERS} orders, seed ${SEED}, ${INSTANCES} instance(s), concurrency ${CONCURRENCY}, drop ${DROP}, logs in ${logDir}`,
  );

  // 1. Chaos products with exactly known stock.
  phase = "seeding products";
  const productIds: string[] = [];
  {
    const db = createPrismaClient(DATABASE_URL, 2);
    try {
      for (const p of plan.products) {
        const row = await db.product.create({
          data: {
            slug: p.slug,
            name: p.name,
            description: "A product made by the chaos run.",
            image: "/products/stoneware-mug.svg",
            unitAmount: p.unitAmount,
            currency: "eur",
            stockOnHand: p.stockOnHand,
          },
        });
        productIds.push(row.id);
      }
    } finally {
      await db.$disconnect();
    }
  }

  // 2. Keep the apps' periodic reconciler idle: only the explicit run at the end may recover.
  const lock = holdAdvisoryLock(DATABASE_URL, RECONCILE_LOCK);
  started.lock = lock;
  await lock.ready;

  // 3. The emulator, delivering through a counting proxy to instance A.
  phase = "starting the emulator and the app";
  const emulatorCounts = emptyCounts();
  const proxy = await countingProxy(BASE_PORT, emulatorCounts);
  started.proxy = proxy;
  const appUrls = Array.from({ length: INSTANCES }, (_, i) => `http://127.0.0.1:${BASE_PORT + i}`);
  const chaosRandom = prng(SEED ^ 0x5bd1e995);
  const chaos = new ChaosDeliverer(
    WEBHOOK_SECRET,
    () => `${appUrls[Math.floor(chaosRandom() * appUrls.length)] ?? appUrls[0]}/api/webhook`,
    chaosRandom,
  );
  const events = new Map<string, { type: string; orderId: string | null }>();
  const paymentIntentOrder = new Map<string, string>();
  const orderOfObject = (object: Record<string, unknown>): string | null => {
    const metadata = object.metadata as Record<string, string> | undefined;
    const pi = typeof object.payment_intent === "string" ? object.payment_intent : null;
    const direct = metadata?.orderId ?? (object.client_reference_id as string | undefined) ?? null;
    if (direct && pi) paymentIntentOrder.set(pi, direct);
    if (direct && String(object.id).startsWith("pi_")) paymentIntentOrder.set(String(object.id), direct);
    return direct ?? (pi ? (paymentIntentOrder.get(pi) ?? null) : null);
  };
  const onEvent = (event: StripeEvent) => {
    const object = event.data.object;
    events.set(event.id, { type: event.type, orderId: orderOfObject(object) });
    const payload = JSON.stringify({ ...event, pending_webhooks: 1 }, null, 2);
    setImmediate(() => chaos.onEvent(payload));
  };
  const emulator = await startEmulator({
    port: 0,
    webhookEndpoints: [{ url: proxy.url, secret: WEBHOOK_SECRET }],
    asyncDelaySeconds: ASYNC_DELAY_S,
    retrySchedule: RETRY_SCHEDULE,
    onEvent,
    ...(STRIPE_PACE ? { latency: "realistic" as const, rateLimit: { preset: "live" as const, inject429: 0.02 } } : {}),
  });
  started.emulator = emulator;
  emulator.configure({ shuffle: true, drop: DROP });
  // The run's own calls (paying, refunding, polling) ride out Stripe's 429s like any client would.
  const stripe = new Stripe(emulator.apiKey, {
    ...emulator.stripeClientOptions(),
    maxNetworkRetries: STRIPE_PACE ? 10 : 2,
  });

  // 4. The app, in production mode.
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL,
    STRIPE_SECRET_KEY: emulator.apiKey,
    STRIPE_API_BASE: emulator.url,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    APP_URL: appUrls[0],
    NEXTAUTH_URL: appUrls[0],
    AUTH_SECRET: `chaos-auth-secret-${SEED}-0123456789abcdefghijklmnop`,
    // The run's shoppers are told apart by X-Forwarded-For, as a load balancer on loopback would.
    TRUSTED_PROXIES: "127.0.0.1, ::1",
  };
  for (let i = 0; i < INSTANCES; i++) started.apps.push(appInstance(BASE_PORT + i, appEnv, logDir));
  for (const app of started.apps) await app.start();
  log(`app ready on ${appUrls.join(", ")}; emulator on ${emulator.url}`);

  // 5. Orders through the real checkout, with one database and one app restart mid-run.
  phase = "placing and paying orders";
  const placed: Array<Placed | undefined> = Array.from({ length: ORDERS }, () => undefined);
  const failures: string[] = [];
  let checkoutRetries = 0;
  let done = 0;
  const disruptions: Array<Promise<void>> = [];
  let dbRestarts = 0;
  let appRestarts = 0;
  const restartDbAt = Math.max(1, Math.floor(ORDERS * 0.35));
  const restartAppAt = Math.max(2, Math.floor(ORDERS * 0.65));

  const checkout = async (order: PlannedOrder): Promise<Placed> => {
    const body = JSON.stringify({
      items: order.lines.map((l) => ({ productId: productIds[l.product], quantity: l.quantity })),
      email: order.email,
    });
    for (let attempt = 0; ; attempt++) {
      const base = appUrls[(order.index + attempt) % appUrls.length] ?? appUrls[0];
      const ip = `10.${(order.index >> 16) & 255}.${(order.index >> 8) & 255}.${order.index & 255}`;
      const answer = await post(`${base}/api/checkout`, body, {
        "content-type": "application/json",
        "x-forwarded-for": ip,
      });
      const status = answer === "refused" ? "no connection" : answer.status;
      if (answer !== "refused") {
        let json: { orderId?: string; url?: string } | null = null;
        try {
          json = JSON.parse(answer.text) as { orderId?: string; url?: string };
        } catch {
          json = null;
        }
        if (answer.status === 200 && json?.orderId && json.url) {
          const sessionId = /cs_[A-Za-z0-9_]+/.exec(json.url)?.[0];
          if (!sessionId) throw new Error(`checkout URL without a session id: ${json.url}`);
          return { orderId: json.orderId, sessionId, paymentIntentId: null };
        }
        if (answer.status < 500 && answer.status !== 429)
          throw new Error(`checkout answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
      if (attempt >= 40) throw new Error(`checkout kept failing (${status})`);
      checkoutRetries += 1;
      await sleep(Math.min(500 * (attempt + 1), 3000));
    }
  };

  const runOrder = async (order: PlannedOrder): Promise<void> => {
    const p = await checkout(order);
    placed[order.index] = p;
    await sleep(order.payDelayMs);
    const pay = (scenario: "card_success" | "card_decline" | "async_success" | "async_failure") => {
      const session = emulator.pay(p.sessionId, scenario);
      const pi = session.payment_intent;
      p.paymentIntentId = typeof pi === "string" ? pi : ((pi as { id?: string } | null)?.id ?? null);
      if (p.paymentIntentId) paymentIntentOrder.set(p.paymentIntentId, p.orderId);
    };
    switch (order.scenario) {
      case "card_success":
      case "async_success":
      case "async_failure":
        pay(order.scenario);
        return;
      case "decline_then_expire":
        pay("card_decline");
        await sleep(order.followUpDelayMs);
        await stripe.checkout.sessions.expire(p.sessionId);
        return;
      case "expiry":
        await sleep(order.followUpDelayMs);
        await stripe.checkout.sessions.expire(p.sessionId);
        return;
      case "refund_partial":
      case "refund_full":
        pay("card_success");
        await sleep(order.followUpDelayMs);
        await stripe.refunds.create(
          {
            payment_intent: p.paymentIntentId ?? "",
            ...(order.scenario === "refund_partial" ? { amount: order.refundAmount } : {}),
          },
          { idempotencyKey: `chaos-refund-${SEED}-${order.index}` },
        );
        return;
    }
  };

  const disrupt = (count: number) => {
    if (count === restartDbAt) {
      disruptions.push(
        (async () => {
          log(`restarting PostgreSQL (${count}/${ORDERS} orders done)`);
          const ms = await restartEmbeddedDatabase(ROOT);
          dbRestarts += 1;
          log(`PostgreSQL back after ${ms} ms`);
        })(),
      );
    }
    if (count === restartAppAt) {
      disruptions.push(
        (async () => {
          const app = started.apps[0] as AppInstance;
          log(`restarting the app on :${app.port} (${count}/${ORDERS} orders done)`);
          const t0 = Date.now();
          await app.stop();
          log(`app on :${app.port} stopped after ${Date.now() - t0} ms; starting it again`);
          await app.start();
          appRestarts += 1;
          log(`app on :${app.port} back after ${Date.now() - t0} ms`);
        })(),
      );
    }
  };

  let next = 0;
  const progressEvery = Math.max(100, Math.floor(ORDERS / 10));
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ORDERS) {
        const order = plan.orders[next++] as PlannedOrder;
        try {
          await runOrder(order);
        } catch (error) {
          failures.push(
            `order #${order.index} (${order.scenario}): ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        done += 1;
        disrupt(done);
        if (done % progressEvery === 0) log(`${done}/${ORDERS} orders placed and acted on; events ${events.size}`);
      }
    }),
  );
  phase = "waiting for the restarts to finish";
  for (const result of await Promise.allSettled(disruptions)) {
    if (result.status === "rejected") failures.push(`restart failed: ${String(result.reason)}`);
  }

  // 6. Wait for delayed debits to settle, then for every delivery (emulator's and chaos) to end.
  phase = "waiting for delayed payments";
  const asyncOrders = plan.orders.filter((o) => o.scenario === "async_success" || o.scenario === "async_failure");
  await sleep(ASYNC_DELAY_S * 1000 + 500);
  for (const o of asyncOrders) {
    const pi = placed[o.index]?.paymentIntentId;
    if (!pi) continue;
    for (let tries = 0; ; tries++) {
      const intent = await stripe.paymentIntents.retrieve(pi);
      if (intent.status !== "processing") break;
      if (tries > 120) {
        failures.push(`order #${o.index}: payment intent ${pi} still processing`);
        break;
      }
      await sleep(500);
    }
  }
  phase = "waiting for deliveries to finish";
  log(`all orders acted on; waiting for deliveries (chaos in flight: ${chaos.inFlight()})`);
  const deliveryDeadline = Date.now() + 15 * 60_000;
  let flush = await emulator.flushDeliveries(1);
  for (;;) {
    await chaos.drain();
    flush = await emulator.flushDeliveries(120_000);
    if (flush.idle && chaos.inFlight() === 0) break;
    if (Date.now() > deliveryDeadline) {
      failures.push(`deliveries did not finish within 15 min: ${JSON.stringify(flush)}`);
      break;
    }
  }
  log(`deliveries idle: ${JSON.stringify(flush)}`);

  // The store answers deliveries before it settles them: wait for its workers to empty the inbox.
  phase = "waiting for the store to settle its inbox";
  const pending = await waitForInbox(DATABASE_URL, 5 * 60_000);
  if (pending > 0) failures.push(`${pending} events still unsettled in the inbox after 5 min`);
  log(`inbox settled (${pending} pending)`);

  // 7. Stop the apps, then check that dropped deliveries left work for the reconciler.
  phase = "reconciling";
  await Promise.allSettled(started.apps.map((app) => app.stop()));
  const undelivered: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ delivery_success: false, limit: 100 })) undelivered.push(event);
  const handled = new Set(HANDLED_EVENT_TYPES);
  const undeliveredOrders = new Set(
    undelivered
      .filter((e) => handled.has(e.type))
      .map((e) => events.get(e.id)?.orderId)
      .filter((id): id is string => Boolean(id)),
  );
  const client = new pg.Client({ connectionString: DATABASE_URL });
  client.on("error", () => undefined);
  await client.connect();
  const expectedById = new Map<string, PlannedOrder>();
  plan.orders.forEach((o) => {
    const p = placed[o.index];
    if (p) expectedById.set(p.orderId, o);
  });
  const before = await client.query<{ id: string; status: string; paymentStatus: string }>(
    `select id, status, "paymentStatus" from "Order" where id = any($1::uuid[])`,
    [[...undeliveredOrders]],
  );
  const unsettledBefore = before.rows.filter((row) => {
    const order = expectedById.get(row.id);
    if (!order) return false;
    const want = expectedFor(order);
    return row.status !== want.status || row.paymentStatus !== want.paymentStatus;
  });
  log(
    `${undelivered.length} events undelivered (${undeliveredOrders.size} orders); ${unsettledBefore.length} of those orders not yet in their final state`,
  );
  await lock.release();
  started.lock = undefined;
  const reconcile = await runReconciler({ ...appEnv });
  log(`reconciler: ${reconcile.summary ?? "(no summary)"} exit ${reconcile.code}`);

  // 8. The oracle.
  phase = "comparing with the oracle";
  const { mismatches, orphans } = await compare(client, plan, placed, productIds, events);
  await client.end();
  if (reconcile.code !== 0) mismatches.unshift(`reconciler exited ${reconcile.code}: ${reconcile.output.slice(-500)}`);
  if (unsettledBefore.length === 0)
    log(
      "note: the drop rate left no order unsettled before reconciling, so the reconciler's recovery was not exercised",
    );
  const reconciledOrders = unsettledBefore.filter((row) => mismatches.every((m) => !m.includes(row.id))).length;

  // 9. Report.
  for (const failure of failures.slice(0, 20)) console.error(`chaos: FAILURE ${failure}`);
  for (const failure of chaos.stats.rejectionFailures.slice(0, 20)) console.error(`chaos: REJECTION ${failure}`);
  for (const mismatch of mismatches.slice(0, 20)) console.error(`chaos: MISMATCH ${mismatch}`);
  if (mismatches.length > 20) console.error(`chaos: … and ${mismatches.length - 20} more mismatches`);
  const c = chaos.stats.counts;
  const e = emulatorCounts;
  const total = (k: keyof typeof c) => c[k] + e[k];
  const deliveries = Object.values(c).reduce((a, b) => a + b, 0) + Object.values(e).reduce((a, b) => a + b, 0);
  log(
    `emulator deliveries 2xx=${e["2xx"]} 5xx=${e["5xx"]} refused=${e.refused} other=${e.other}; chaos deliveries 2xx=${c["2xx"]} 400=${c["400"]} 5xx=${c["5xx"]} refused=${c.refused} other=${c.other}; checkout retries ${checkoutRetries}; burst copies ${chaos.stats.burstDeliveries}; emulator delivery records ${JSON.stringify(flush)}`,
  );
  const ok =
    mismatches.length === 0 &&
    failures.length === 0 &&
    chaos.stats.rejectionFailures.length === 0 &&
    dbRestarts === 1 &&
    appRestarts === 1;
  console.log(
    `chaos: orders=${ORDERS} instances=${INSTANCES}${STRIPE_PACE ? ` stripe_pace=realistic+live_limits+2%_429 stripe_429s=${emulator.requestCounts().totalRateLimited}` : ""} events=${events.size} deliveries=${deliveries} (2xx=${total("2xx")}, 400=${total("400")}, 5xx=${total("5xx")}, refused=${total("refused")}${total("other") ? `, other=${total("other")}` : ""}) duplicates=${chaos.stats.duplicates} bad_signatures=${chaos.stats.badSignatures} stale=${chaos.stats.stale} bursts=${chaos.stats.bursts} db_restarts=${dbRestarts} app_restarts=${appRestarts} dropped=${flush.dropped} undelivered_events=${undelivered.length} unsettled_before_reconcile=${unsettledBefore.length} reconciled=${reconcile.applied} reconciled_orders=${reconciledOrders} orphans=${orphans} failures=${failures.length + chaos.stats.rejectionFailures.length} mismatches=${mismatches.length} wall=${((Date.now() - startedAt) / 1000).toFixed(0)}s ${ok ? "OK" : "FAILED"}`,
  );
  return ok ? 0 : 1;
}

/** Runs `tooling/cli/reconcile.ts` once with the app's configuration, as `npm run reconcile` would. */
async function runReconciler(env: NodeJS.ProcessEnv) {
  const tsx = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  return new Promise<{ code: number; output: string; summary: string | null; applied: number }>((resolve) => {
    // Every checkout has answered by now, so no order can still be opening its session: the
    // reconciler may give up stranded ones at once instead of after its usual 10 minutes.
    const args = [tsx, "--conditions=react-server", "tooling/cli/reconcile.ts", "--grace-minutes", "0"];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => {
      const summary = /done in .*/.exec(output)?.[0] ?? null;
      const applied = Number(/ignored, (\d+) settled/.exec(output)?.[1] ?? 0);
      resolve({ code: code ?? 1, output, summary, applied });
    });
  });
}

type OrderRow = {
  id: string;
  status: string;
  paymentStatus: string;
  stockState: string;
  amountRefunded: number;
  amountTotal: number;
  needsReview: boolean;
  charges: number;
  refunds: number;
  chargeRows: number;
};

/** Compares the database with the oracle; returns one line per mismatch. */
async function compare(
  client: pg.Client,
  plan: ReturnType<typeof makePlan>,
  placed: Array<Placed | undefined>,
  productIds: string[],
  events: Map<string, { type: string; orderId: string | null }>,
): Promise<{ mismatches: string[]; orphans: number }> {
  const mismatches: string[] = [];
  const ids = placed.filter((p): p is Placed => Boolean(p)).map((p) => p.orderId);
  const rows = await client.query<OrderRow>(
    `select o.id, o.status, o."paymentStatus", o."stockState", o."amountRefunded", o."amountTotal", o."needsReview",
            coalesce(sum(t.amount) filter (where t.kind = 'CHARGE'), 0)::int as charges,
            coalesce(sum(t.amount) filter (where t.kind = 'REFUND'), 0)::int as refunds,
            count(t.id) filter (where t.kind = 'CHARGE')::int as "chargeRows"
       from "Order" o left join "Transaction" t on t."orderId" = o.id
      where o.id = any($1::uuid[])
      group by o.id`,
    [ids],
  );
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  const emailRows = await client.query<{ orderId: string; kind: EmailKind; n: number }>(
    `select "orderId", kind, count(*)::int as n from "EmailOutbox" where "orderId" = any($1::uuid[]) group by 1, 2`,
    [ids],
  );
  const emails = new Map<string, Map<EmailKind, number>>();
  for (const r of emailRows.rows) {
    const m = emails.get(r.orderId) ?? new Map<EmailKind, number>();
    m.set(r.kind, r.n);
    emails.set(r.orderId, m);
  }
  let awaitingSkipped = 0;
  for (const order of plan.orders) {
    const p = placed[order.index];
    const label = `order #${order.index} (${order.scenario})`;
    if (!p) {
      mismatches.push(`${label}: never placed`);
      continue;
    }
    const row = byId.get(p.orderId);
    if (!row) {
      mismatches.push(`${label} ${p.orderId}: not in the database`);
      continue;
    }
    const want = expectedFor(order);
    const got = {
      status: row.status,
      paymentStatus: row.paymentStatus,
      stockState: row.stockState,
      amountRefunded: row.amountRefunded,
      charges: row.charges,
      refunds: row.refunds,
    };
    const diffs: string[] = [];
    for (const key of Object.keys(got) as Array<keyof typeof got>) {
      if (got[key] !== want[key]) diffs.push(`${key} ${String(got[key])} (want ${String(want[key])})`);
    }
    if (row.amountTotal !== order.amountTotal) diffs.push(`amountTotal ${row.amountTotal} (want ${order.amountTotal})`);
    if (row.needsReview) diffs.push("needsReview");
    if (row.chargeRows > 1) diffs.push(`${row.chargeRows} charge rows`);
    const sent = emails.get(p.orderId);
    for (const kind of EMAIL_KINDS) {
      const n = sent?.get(kind) ?? 0;
      const [min, max] = want.emails[kind];
      if (n < min || n > max) diffs.push(`${kind} emails ${n} (want ${min === max ? min : `${min}–${max}`})`);
      if (kind === "AWAITING_PAYMENT" && max > 0 && n === 0) awaitingSkipped += 1;
    }
    if (diffs.length > 0) mismatches.push(`${label} ${p.orderId}: ${diffs.join(", ")}`);
  }
  if (awaitingSkipped > 0)
    log(
      `${awaitingSkipped} delayed-debit orders had settled before their checkout.session.completed was first applied (no "awaiting payment" email, as designed)`,
    );

  // Orders for chaos products that no checkout returned (a checkout answered 5xx after storing
  // its order, e.g. while PostgreSQL restarted). The reconciler must have expired them and
  // released their stock; any other state is a mismatch, and the stock such an order still
  // holds is accounted to it below, so the per-product lines only report what it does not explain.
  const orphans = await client.query<{
    id: string;
    status: string;
    stockState: string;
    sessionId: string | null;
    productId: string;
    quantity: number;
  }>(
    `select o.id, o.status, o."stockState", o."stripeCheckoutSessionId" as "sessionId", i."productId", i.quantity
       from "Order" o join "OrderItem" i on i."orderId" = o.id
      where i."productId" = any($1::uuid[]) and not (o.id = any($2::uuid[]))`,
    [productIds, ids],
  );
  const orphanHeld = new Map<string, { reserved: number; sold: number }>();
  const orphanIds = new Set<string>();
  for (const o of orphans.rows) {
    const held = orphanHeld.get(o.productId) ?? { reserved: 0, sold: 0 };
    if (o.stockState === "RESERVED") held.reserved += o.quantity;
    if (o.stockState === "COMMITTED") held.sold += o.quantity;
    orphanHeld.set(o.productId, held);
    if (orphanIds.has(o.id)) continue;
    orphanIds.add(o.id);
    if (o.status === "EXPIRED" && o.stockState === "RELEASED" && o.sessionId === null) continue;
    mismatches.push(
      `orphan order ${o.id} (its checkout answered an error, no order id was returned): ${o.status} / ${o.stockState}, checkout session ${o.sessionId ?? "none"}`,
    );
  }

  // Stock, per product.
  const stock = expectedStock(plan);
  const products = await client.query<{ id: string; stockOnHand: number; stockReserved: number }>(
    `select id, "stockOnHand", "stockReserved" from "Product" where id = any($1::uuid[])`,
    [productIds],
  );
  const productById = new Map(products.rows.map((r) => [r.id, r]));
  plan.products.forEach((p, i) => {
    const row = productById.get(productIds[i] ?? "");
    const want = stock[i];
    if (!row || !want) return mismatches.push(`product ${p.slug}: missing`);
    const held = orphanHeld.get(row.id) ?? { reserved: 0, sold: 0 };
    const onHand = want.stockOnHand - held.sold;
    const reserved = want.stockReserved + held.reserved;
    if (row.stockOnHand !== onHand || row.stockReserved !== reserved)
      mismatches.push(
        `product ${p.slug}: onHand ${row.stockOnHand} reserved ${row.stockReserved} (want ${onHand} / ${reserved}${held.reserved + held.sold > 0 ? ", counting orphan orders" : ""})`,
      );
  });

  // The inbox: nothing forged stored, every handled event applied, nothing left failed.
  const forged = await client.query<{ n: number }>(
    `select count(*)::int as n from "WebhookEvent" where "stripeEventId" like $1`,
    [`${FORGED_EVENT_PREFIX}%`],
  );
  if ((forged.rows[0]?.n ?? 0) > 0) mismatches.push(`${forged.rows[0]?.n} forged or stale events were stored`);
  const inbox = await client.query<{ stripeEventId: string; type: string; processed: boolean; outcome: string | null }>(
    `select "stripeEventId", type, "processedAt" is not null as processed, outcome::text from "WebhookEvent"`,
  );
  const inboxById = new Map(inbox.rows.map((r) => [r.stripeEventId, r]));
  const handled = new Set(HANDLED_EVENT_TYPES);
  for (const [id, event] of events) {
    if (!handled.has(event.type) || !event.orderId) continue;
    const row = inboxById.get(id);
    if (!row) mismatches.push(`event ${id} (${event.type}) of order ${event.orderId} never reached the inbox`);
    else if (!row.processed || row.outcome !== "PROCESSED")
      mismatches.push(`event ${id} (${event.type}) left ${row.outcome ?? "unprocessed"} in the inbox`);
  }
  return { mismatches, orphans: orphanIds.size };
}

// ---------------------------------------------------------------------------------------------

const timeout = setTimeout(() => {
  console.error(`chaos: FAILED: global timeout of ${TIMEOUT_MIN} min exceeded during ${phase}`);
  for (const app of started.apps) console.error(`--- ${app.logFile} ---\n${tail(app.logFile)}`);
  void cleanup().finally(() => process.exit(1));
}, TIMEOUT_MIN * 60_000);

main()
  .then(async (code) => {
    clearTimeout(timeout);
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    clearTimeout(timeout);
    console.error(
      `chaos: FAILED during ${phase}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    for (const app of started.apps) console.error(`--- ${app.logFile} ---\n${tail(app.logFile)}`);
    await cleanup();
    process.exit(1);
  });

/** Waits until no recorded event is left unsettled; returns how many still are at the deadline. */
async function waitForInbox(url: string, timeoutMs: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from "WebhookEvent" where "processedAt" is null and outcome = 'RECEIVED'`,
      );
      const n = rows[0]?.n ?? 0;
      if (n === 0 || Date.now() > deadline) return n;
      await sleep(250);
    }
  } finally {
    await client.end();
  }
}
