/**
 * `npm run test:chaos`: proves that orders end right under the delivery conditions real
 * stores see. Runs under the launcher (which provides DATABASE_URL on a fresh database):
 *
 *   tsx tooling/launcher/run.ts --no-payments --database storefront_chaos --fresh -- \
 *     tsx --conditions=react-server chaos/run.ts --orders 10000 [--instances 2] [--seed 1] [--concurrency 8] [--timeout-min M]
 *
 * It starts the Stripe emulator in-process (shuffled deliveries, a small drop rate, a retry
 * schedule long enough to ride over restarts) and the production app (`next start`, one or
 * two instances on ports 3600/3601), places N orders through the real checkout, pays or
 * abandons each according to a seeded scenario, adds duplicate, forged, stale and burst
 * deliveries, restarts PostgreSQL and the app once each mid-run, waits for the emulator to go
 * idle, runs the reconciler once, and compares the database with an oracle computed from the
 * scenario list alone. One summary line at the end; exit 0 only when nothing is off.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/create-client";
import { RECONCILE_LOCK } from "@/lib/orders/reconcile-lock";
import { compare } from "./compare";
import {
  BASE_PORT,
  CONCURRENCY,
  DATABASE_URL,
  DROP,
  INSTANCES,
  log,
  ORDERS,
  SEED,
  TIMEOUT_MIN,
  WEBHOOK_SECRET,
} from "./config";
import { makePlan } from "./plan";
import { closePayLater } from "./pay-later";
import { appInstance, holdAdvisoryLock, tail } from "./processes";
import { reconcileDropped } from "./reconciling";
import { logEventSequences, report } from "./report";
import type { Started } from "./run-state";
import { waitForSettling } from "./settling";
import { shop } from "./shoppers";
import { startStripeSide } from "./stripe-side";

// ---------------------------------------------------------------------------------------------
// What the run started, so every exit path stops it

const started: Started = { apps: [] };
let phase = "starting";

async function cleanup(): Promise<void> {
  await Promise.allSettled(started.apps.map((app) => app.stop()));
  await started.emulator?.stop().catch(() => undefined);
  await started.proxy?.close().catch(() => undefined);
  await started.lock?.release().catch(() => undefined);
  await closePayLater();
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.error(`chaos: interrupted by ${signal} during ${phase}`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// The run

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
  const stripeSide = await startStripeSide(started);
  const { emulator, appUrls } = stripeSide;

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
    // Pay later by bank transfer; deadlines the run moves into the past close within a second or two.
    BANK_TRANSFERS: "true",
    PAYMENT_DEADLINE_CHECK_SECONDS: "1",
  };
  // The admin's payment-link orders are created through the store's library in this process
  // (tsx --conditions=react-server, as the reconciler runs), configured as the apps are.
  for (const key of ["STRIPE_SECRET_KEY", "STRIPE_API_BASE", "STRIPE_WEBHOOK_SECRET", "APP_URL"] as const)
    process.env[key] = appEnv[key];
  for (let i = 0; i < INSTANCES; i++) started.apps.push(appInstance(BASE_PORT + i, appEnv, logDir));
  for (const app of started.apps) await app.start();
  log(`app ready on ${appUrls.join(", ")}; emulator on ${emulator.url}`);

  // 5. Orders through the real checkout, with one database and one app restart mid-run.
  phase = "placing and paying orders";
  const shopping = await shop(started, plan.orders, productIds, stripeSide);

  // 6. Wait for delayed debits to settle, then for every delivery (emulator's and chaos) to end.
  phase = "waiting for delayed payments";
  const flush = await waitForSettling(plan.orders, shopping.placed, shopping.failures, stripeSide, (p) => (phase = p));

  // 7. Stop the apps, then check that dropped deliveries left work for the reconciler.
  phase = "reconciling";
  const { client, undelivered, unsettledBefore, reconcile } = await reconcileDropped(
    started,
    plan.orders,
    shopping.placed,
    stripeSide,
    lock,
    appEnv,
  );

  // 8. The oracle.
  phase = "comparing with the oracle";
  const { mismatches, orphans } = await compare(client, plan, shopping.placed, productIds, stripeSide.events);
  logEventSequences(plan.orders, shopping.placed, stripeSide.events);
  await client.end();
  if (reconcile.code !== 0) mismatches.unshift(`reconciler exited ${reconcile.code}: ${reconcile.output.slice(-500)}`);
  if (unsettledBefore.length === 0)
    log(
      "note: the drop rate left no order unsettled before reconciling, so the reconciler's recovery was not exercised",
    );
  const reconciledOrders = unsettledBefore.filter((row) => mismatches.every((m) => !m.includes(row.id))).length;

  // 9. Report.
  const ok = report({
    shopping,
    stripeSide,
    flush,
    mismatches,
    orphans,
    undelivered: undelivered.length,
    unsettledBefore: unsettledBefore.length,
    reconciled: reconcile.applied,
    reconciledOrders,
  });
  return ok ? 0 : 1;
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
