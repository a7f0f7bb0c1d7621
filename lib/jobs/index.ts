import "server-only";
import { withAdvisoryLock } from "@/lib/db/advisory-lock";
import { drainOutbox } from "@/lib/email/send";
import { paymentsMode } from "@/lib/payments/client";
import { RECONCILE_LOCK, reconcile } from "@/lib/orders/reconcile";

const OUTBOX_EVERY_MS = 2_000;
const RECONCILE_EVERY_MS = 5 * 60_000;

const state = globalThis as unknown as { storefrontJobs?: boolean };

/**
 * Starts this instance's background work: draining the email outbox (safe on every instance)
 * and reconciling with Stripe (one instance at a time, by advisory lock).
 */
export function startBackgroundJobs(): void {
  if (state.storefrontJobs) return;
  state.storefrontJobs = true;
  let draining = false;
  setInterval(() => {
    if (draining) return;
    draining = true;
    drainOutbox()
      .catch((error: unknown) => console.error("[jobs] outbox:", error instanceof Error ? error.message : error))
      .finally(() => (draining = false));
  }, OUTBOX_EVERY_MS).unref();

  if (paymentsMode() === "unconfigured") return;
  setInterval(() => {
    withAdvisoryLock(RECONCILE_LOCK, () => reconcile())
      .then((summary) => {
        if (summary && (summary.events.processed > 0 || summary.orders.changed > 0)) {
          console.log(
            `[jobs] reconciled: ${summary.events.processed} events applied, ${summary.orders.changed} orders settled`,
          );
        }
      })
      .catch((error: unknown) => console.error("[jobs] reconcile:", error instanceof Error ? error.message : error));
  }, RECONCILE_EVERY_MS).unref();
}
