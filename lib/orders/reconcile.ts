import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { retrievePaymentSnapshot } from "@/lib/payments/checkout-sessions";
import { listUndeliveredEvents } from "@/lib/payments/undelivered-events";
import { closeUnopenedAttempt } from "./place-order";
import { HANDLED_EVENT_TYPES } from "./handled-events";
import { applyCheckoutSnapshot } from "./fulfillment";
import { recordEvent } from "./inbox";
import { drainInbox } from "./settle";

export { RECONCILE_LOCK } from "./reconcile-lock";

const JOB = "reconciler";
/** Events are re-read from a little before the checkpoint, so one created during a run is not missed. */
const OVERLAP_MS = 5 * 60_000;
const FIRST_RUN_LOOKBACK_MS = 3 * 24 * 3600_000;

export type ReconcileSummary = {
  /** Missed events recorded in the inbox, and what settling the inbox then did. */
  events: { seen: number; recorded: number; duplicate: number; ignored: number; failed: number; settled: number };
  orders: { checked: number; changed: number; failed: number; abandoned: number };
};

/** How long an order may wait for its Checkout session to be recorded before it is given up. */
export const UNOPENED_GRACE_MS = 10 * 60_000;

type Log = (line: string) => void;

async function readCheckpoint(): Promise<Date> {
  const state = await db.jobState.findUnique({ where: { name: JOB } });
  const since = (state?.cursor as { since?: string } | undefined)?.since;
  return since ? new Date(since) : new Date(Date.now() - FIRST_RUN_LOOKBACK_MS);
}

async function writeCheckpoint(since: Date): Promise<void> {
  const cursor = { since: since.toISOString() } as Prisma.InputJsonValue;
  await db.jobState.upsert({ where: { name: JOB }, create: { name: JOB, cursor }, update: { cursor } });
}

/**
 * Catches up on what webhooks missed. (1) Events Stripe could not deliver since the last
 * checkpoint are recorded in the inbox like live deliveries, and the inbox is settled. (2) Orders
 * still pending after their Checkout session expired are settled from the session itself.
 * (3) Orders whose Checkout session was never recorded (the server stopped between reserving
 * the stock and opening the session) expire after `unopenedGraceMs` and give their stock back.
 */
export async function reconcile(
  log: Log = () => undefined,
  options: { unopenedGraceMs?: number } = {},
): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = {
    events: { seen: 0, recorded: 0, duplicate: 0, ignored: 0, failed: 0, settled: 0 },
    orders: { checked: 0, changed: 0, failed: 0, abandoned: 0 },
  };
  const startedAt = new Date();
  const since = await readCheckpoint();
  const events = await listUndeliveredEvents(HANDLED_EVENT_TYPES, new Date(since.getTime() - OVERLAP_MS));
  log(`${events.length} undelivered events since ${since.toISOString()}`);
  for (const event of events) {
    summary.events.seen += 1;
    try {
      summary.events[(await recordEvent(event)).outcome] += 1;
    } catch (error) {
      summary.events.failed += 1;
      log(`event ${event.id} (${event.type}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (summary.events.seen % 100 === 0) log(`${summary.events.seen}/${events.length} events`);
  }
  // Settled here too, so the command-line reconciler works with no app running.
  const drained = await drainInbox();
  summary.events.settled = drained.applied;
  summary.events.failed += drained.failed;

  const stale = await db.order.findMany({
    where: {
      status: "PENDING",
      stripeCheckoutSessionId: { not: null },
      checkoutExpiresAt: { lt: startedAt },
      // A bank transfer waits days by design: its news comes as events (replayed above when
      // missed), and its deadline is kept by the deadline job, not by reading it every run.
      NOT: { paymentMethod: "BANK_TRANSFER", paymentStatus: "AWAITING_PAYMENT" },
    },
    select: { id: true, stripeCheckoutSessionId: true },
    orderBy: { checkoutExpiresAt: "asc" },
    take: 1000,
  });
  log(`${stale.length} pending orders past their checkout expiry`);
  for (const order of stale) {
    summary.orders.checked += 1;
    try {
      const result = await applyCheckoutSnapshot(
        await retrievePaymentSnapshot(order.stripeCheckoutSessionId as string),
      );
      if (result.outcome === "applied" && result.changed) summary.orders.changed += 1;
    } catch (error) {
      summary.orders.failed += 1;
      log(`order ${order.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const unopened = await db.order.findMany({
    where: {
      status: "PENDING",
      stockState: "RESERVED",
      stripeCheckoutSessionId: null,
      // An order sent as a payment link has no session until its customer pays; its link and
      // deadline keep it (lib/orders/deadlines.ts).
      stripePaymentLinkId: null,
      updatedAt: { lt: new Date(startedAt.getTime() - (options.unopenedGraceMs ?? UNOPENED_GRACE_MS)) },
    },
    select: { id: true, items: { select: { productId: true, quantity: true } } },
    take: 1000,
  });
  if (unopened.length) log(`${unopened.length} orders never got a Checkout session`);
  for (const order of unopened) {
    try {
      if (await closeUnopenedAttempt(order)) summary.orders.abandoned += 1;
    } catch (error) {
      summary.orders.failed += 1;
      log(`order ${order.id} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (summary.events.failed === 0) await writeCheckpoint(startedAt);
  return summary;
}
