import "server-only";
import { withAdvisoryLock } from "@/lib/db/advisory-lock";
import { drainOutbox } from "@/lib/email/send";
import { env } from "@/lib/env";
import { markPaymentLinkInactive, settledOrdersWithActiveLinks } from "@/lib/orders/link-orders";
import { withLinkToken } from "@/lib/orders/notifications";
import { reconcile } from "@/lib/orders/reconcile";
import { runPaymentDeadlines } from "@/lib/orders/deadlines";
import { DEADLINES_LOCK, RECONCILE_LOCK } from "@/lib/orders/reconcile-lock";
import { settleNextGroup } from "@/lib/orders/settle";
import { settleNextRequest } from "@/lib/orders/settle-requests";
import { onRecorded, yieldingSettleStep } from "@/lib/orders/worker-signal";
import { paymentsMode } from "@/lib/payments/client";
import { describeStripeError } from "@/lib/payments/errors";
import { deactivatePaymentLink } from "@/lib/payments/payment-links";
import { runTasks, type RunningTasks, type Task } from "./runner";

const SETTLE_IDLE_MS = 500;
/** The longest a settle step waits for a gap between webhook deliveries on a busy instance. */
const YIELD_TO_DELIVERIES_MS = 100;
/** Workers stop yielding once the last group they settled had been due this long. */
const BEHIND_MS = 1_000;
const OUTBOX_IDLE_MS = 2_000;
const RECONCILE_EVERY_MS = 5 * 60_000;
const LINKS_IDLE_MS = 5_000;

/**
 * Settling webhook events and success-page requests: safe on every instance at once. None on
 * an instance with WEBHOOK_WORKERS=0, which only receives (its deliveries are settled elsewhere).
 */
export function settleTasks(): Task[] {
  if (env.WEBHOOK_WORKERS === 0) return [];
  return [
    {
      name: "settle",
      step: yieldingSettleStep(settleNextGroup, { maxWaitMs: YIELD_TO_DELIVERIES_MS, behindMs: BEHIND_MS }),
      idleMs: SETTLE_IDLE_MS,
      concurrency: env.WEBHOOK_WORKERS,
    },
    { name: "settle-requests", step: async () => (await settleNextRequest()) !== null, idleMs: SETTLE_IDLE_MS },
  ];
}

function outboxTask(): Task {
  return {
    name: "outbox",
    step: async () => {
      const { sent, failed } = await drainOutbox({ beforeSend: withLinkToken });
      return sent + failed > 0;
    },
    idleMs: OUTBOX_IDLE_MS,
  };
}

/**
 * Deactivates at Stripe the payment links of orders that no longer wait for them (paid,
 * refunded, closed), one link a step, each write drawn from the shared Stripe budget. Never
 * done while settling: the webhook's path makes no Stripe call. Any instance may run it; two
 * deactivating one link at once is harmless.
 */
export async function deactivateSettledLinksStep(): Promise<boolean> {
  const [order] = await settledOrdersWithActiveLinks(1);
  if (!order) return false;
  try {
    await deactivatePaymentLink(order.linkId);
    await markPaymentLinkInactive(order.id);
  } catch (error) {
    console.error(
      `[jobs] deactivating payment link ${order.linkId} of order ${order.id}: ${describeStripeError(error)}`,
    );
    return false;
  }
  return true;
}

function paymentLinksTask(): Task {
  return { name: "payment-links", step: deactivateSettledLinksStep, idleMs: LINKS_IDLE_MS };
}

/** Catches up with Stripe every few minutes; one runner across all instances (advisory lock). */
function reconcileTask(): Task {
  return {
    name: "reconcile",
    step: async () => {
      const summary = await withAdvisoryLock(RECONCILE_LOCK, () => reconcile());
      if (summary && (summary.events.recorded > 0 || summary.orders.changed > 0))
        console.log(
          `[jobs] reconciled: ${summary.events.recorded} missed events, ${summary.orders.changed} orders settled`,
        );
      return false;
    },
    idleMs: RECONCILE_EVERY_MS,
  };
}

/** Closes overdue bank transfers and sends reminders every PAYMENT_DEADLINE_CHECK_SECONDS; one runner across all instances. */
function deadlinesTask(): Task {
  return {
    name: "deadlines",
    step: async () => {
      const summary = await withAdvisoryLock(DEADLINES_LOCK, () => runPaymentDeadlines());
      if (summary && summary.closed + summary.kept + summary.failed + summary.reminded > 0)
        console.log(
          `[jobs] payment deadlines: ${summary.closed} closed, ${summary.kept} kept by Stripe, ${summary.failed} failed, ${summary.reminded} reminders`,
        );
      return false;
    },
    idleMs: env.PAYMENT_DEADLINE_CHECK_SECONDS * 1000,
  };
}

/** Starts settle workers that wake the moment this instance records a delivery. */
export function startSettleWorkers(): RunningTasks {
  const running = runTasks(settleTasks());
  const unsubscribe = onRecorded(() => running.wake("settle"));
  return {
    wake: (name) => running.wake(name),
    async stop() {
      unsubscribe();
      await running.stop();
    },
  };
}

const state = globalThis as unknown as { storefrontJobs?: RunningTasks };

/**
 * Starts this instance's background work on the one task runner: settling webhook events,
 * draining the email outbox, and (with payments configured) reconciling with Stripe.
 */
export function startBackgroundJobs(): void {
  if (state.storefrontJobs) return;
  const configured = paymentsMode() !== "unconfigured";
  const running = runTasks([
    ...(configured ? [...settleTasks(), deadlinesTask(), paymentLinksTask()] : []),
    outboxTask(),
  ]);
  const unsubscribe = onRecorded(() => running.wake("settle"));
  // The first reconcile waits a full interval, so a restart does not hit Stripe at once.
  let reconcilerRun: RunningTasks | null = null;
  const reconciler = configured
    ? setTimeout(() => (reconcilerRun = runTasks([reconcileTask()])), RECONCILE_EVERY_MS)
    : null;
  reconciler?.unref();
  state.storefrontJobs = {
    wake: (name) => running.wake(name),
    async stop() {
      unsubscribe();
      if (reconciler) clearTimeout(reconciler);
      await Promise.all([running.stop(), reconcilerRun?.stop()]);
    },
  };
}
