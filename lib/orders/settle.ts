import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { findCheckoutSession, listDisputes, listRefunds } from "@/lib/payments/checkout-sessions";
import { PaymentRequestRejectedError } from "@/lib/payments/errors";
import {
  cashBalanceFromEvent,
  chargeFromEvent,
  orderIdFromPaymentIntent,
  snapshotFromSessionEvent,
  transferFromIntent,
} from "@/lib/payments/evidence";
import type { CheckoutSnapshot } from "@/lib/payments/types";
import { reshapeEvent } from "@/lib/payments/signed-events";
import { applySettlement, type SettleItem } from "./fulfillment";
import { claimNextGroup, markIgnored, releaseAfterFailure, type ClaimedEvent } from "./inbox";
import { isUuid } from "./ids";
import { orderForPaymentLink } from "./payment-link-sessions";

/**
 * The worker's step: settle one group of pending inbox events (all those about one Checkout
 * session or payment) from their signed payloads. Session events decide without asking Stripe;
 * a refund or dispute reads Stripe once for the group, through the shared request budget.
 */

export type SettleStep = {
  events: number;
  applied: number;
  ignored: number;
  failed: number;
  stripeReads: number;
  /** How long the group's longest-waiting event had been due when claimed (ms). */
  waitedMs: number;
};

type Evidence = { orderId: string; items: SettleItem[] } | { ignored: string };

/** Settles the next due group; null when nothing is due. Never throws for a group's failure. */
export function settleNextGroup(): Promise<SettleStep | null> {
  return settle(claimNextGroup());
}

/** Settles the pending events of one session or payment now, due or not (admin replay). */
export function settleGroupNow(settleKey: string): Promise<SettleStep | null> {
  return settle(claimNextGroup(settleKey));
}

export type SettleTotals = Omit<SettleStep, "events" | "waitedMs"> & { events: number; groups: number };

/** Settles groups until none is due (the reconciler's CLI, tests); returns what it did. */
export async function drainInbox(): Promise<SettleTotals> {
  const totals: SettleTotals = { groups: 0, events: 0, applied: 0, ignored: 0, failed: 0, stripeReads: 0 };
  for (let step = await settleNextGroup(); step; step = await settleNextGroup()) {
    totals.groups += 1;
    totals.events += step.events;
    totals.applied += step.applied;
    totals.ignored += step.ignored;
    totals.failed += step.failed;
    totals.stripeReads += step.stripeReads;
  }
  return totals;
}

async function settle(claim: Promise<ClaimedEvent[]>): Promise<SettleStep | null> {
  const group = await claim;
  if (group.length === 0) return null;
  group.sort((a, b) => a.stripeCreatedAt.getTime() - b.stripeCreatedAt.getTime() || a.tries - b.tries);
  const waitedMs = Math.max(...group.map((e) => e.waitedMs));
  const step: SettleStep = { events: group.length, applied: 0, ignored: 0, failed: 0, stripeReads: 0, waitedMs };
  try {
    const evidence = await gatherEvidence(group, step);
    if ("ignored" in evidence) {
      await markIgnored(
        db,
        group.map((e) => ({ stripeEventId: e.stripeEventId, reason: evidence.ignored })),
      );
      step.ignored = group.length;
      return step;
    }
    const result = await applySettlement(evidence.orderId, evidence.items);
    if (result.outcome === "ignored") {
      await markIgnored(
        db,
        group.map((e) => ({ stripeEventId: e.stripeEventId, reason: result.reason })),
      );
      step.ignored = group.length;
    } else if (result.outcome === "applied") {
      step.applied = result.applied.length;
      step.ignored = result.ignored.length;
    }
    return step;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
    const released = await releaseAfterFailure(group, message, env.WEBHOOK_MAX_TRIES);
    step.failed = released.failed;
    console.error(
      `[worker] settling ${group.length} event(s) of ${group[0]?.settleKey} failed (try ${group[0]?.tries}): ${message}` +
        (released.failed ? `; ${released.failed} marked failed` : ""),
    );
    return step;
  }
}

/** What the group's events prove about one order. */
async function gatherEvidence(group: ClaimedEvent[], step: SettleStep): Promise<Evidence> {
  const key = group[0]?.settleKey ?? "";
  if (key.startsWith("cs_")) {
    const items: SettleItem[] = [];
    let orderId: string | null = null;
    for (const event of group) {
      const snapshot = snapshotFromSessionEvent(event.type, reshapeEvent(event.payload).object);
      if (!snapshot) return { ignored: `the ${event.type} payload is not a Checkout session` };
      // A payment link's session belongs to the link's order, whatever order it names.
      const owner = snapshot.paymentLinkId ? await orderForPaymentLink(snapshot.paymentLinkId) : snapshot.orderId;
      if (snapshot.paymentLinkId && !owner) return { ignored: "the session's payment link is not one of this store" };
      orderId = orderId ?? owner;
      items.push({ eventId: event.stripeEventId, snapshot });
    }
    return orderId && isUuid(orderId) ? { orderId, items } : { ignored: "the session carries no order of this store" };
  }
  if (key.startsWith("cus_")) return gatherCashBalanceEvidence(key, group);
  return gatherPaymentEvidence(key, group, step);
}

/**
 * Money left on a customer's cash balance belongs to the order that customer was created for.
 * Until that order knows its customer (its transfer events may still be on their way), the
 * events wait and are tried again: unapplied money is never dropped.
 */
async function gatherCashBalanceEvidence(customerId: string, group: ClaimedEvent[]): Promise<Evidence> {
  const order = await db.order.findFirst({
    where: { stripeCustomerId: customerId },
    select: { id: true },
    orderBy: { createdAt: "desc" },
  });
  if (!order) throw new Error(`no order knows customer ${customerId} yet`);
  const items: SettleItem[] = group.map((e) => {
    const cashBalance = cashBalanceFromEvent(reshapeEvent(e.payload).object);
    return { eventId: e.stripeEventId, snapshot: null, ...(cashBalance ? { cashBalance } : {}) };
  });
  return { orderId: order.id, items };
}

/** Refunds, disputes and payment failures name a payment intent; at most one read per kind. */
async function gatherPaymentEvidence(
  paymentIntentId: string,
  group: ClaimedEvent[],
  step: SettleStep,
): Promise<Evidence> {
  const objects = group.map((e) => ({ event: e, object: reshapeEvent(e.payload).object }));
  const transfers = objects.map((o) => transferFromIntent(o.event.type, o.object));
  const order = await findOrder(paymentIntentId, objects, step);
  if (!order) return { ignored: "no checkout session of this store" };
  if (!order.sessionId) return { ignored: `order ${order.orderId} has no Checkout session` };

  const charge = objects.map((o) => chargeFromEvent(o.object)).find((c) => c !== null) ?? null;
  const refunds = group.some((e) => e.type === "charge.refunded")
    ? await read(step, () => listRefunds(paymentIntentId))
    : null;
  const disputed = group.some((e) => e.type.startsWith("charge.dispute."))
    ? await read(step, () => listDisputes(paymentIntentId))
    : null;
  const paidCharge = charge ?? (disputed?.charge ? { ...disputed.charge, chargeId: disputed.charge.id } : null);

  const snapshot: CheckoutSnapshot | null =
    paidCharge && (refunds || disputed)
      ? {
          sessionId: order.sessionId,
          orderId: order.orderId,
          paymentLinkId: null,
          status: "complete",
          paymentStatus: paidCharge.paid ? "paid" : "unpaid",
          amountTotal: paidCharge.amount,
          currency: paidCharge.currency,
          email: charge?.email ?? null,
          paymentIntent: {
            id: paymentIntentId,
            status: paidCharge.paid ? "succeeded" : "processing",
            amountReceived: charge?.amountReceived ?? paidCharge.amount,
            currency: paidCharge.currency,
            chargeId: charge?.chargeId ?? disputed?.charge?.id ?? null,
            lastError: null,
          },
          refunds,
          disputes: disputed?.disputes ?? null,
        }
      : null;
  // One snapshot for the whole group: the reads are as of now, newer than every payload.
  const items: SettleItem[] = group.map((e, i) => {
    const transfer = transfers[i];
    return {
      eventId: e.stripeEventId,
      snapshot: i === group.length - 1 ? snapshot : null,
      ...(transfer ? { transfer } : {}),
    };
  });
  return { orderId: order.orderId, items };
}

async function read<T>(step: SettleStep, fn: () => Promise<T>): Promise<T> {
  step.stripeReads += 1;
  return fn();
}

/** The order a payment intent belongs to: ours by id, by the intent's metadata, or asked of Stripe. */
async function findOrder(
  paymentIntentId: string,
  objects: Array<{ object: unknown }>,
  step: SettleStep,
): Promise<{ orderId: string; sessionId: string | null } | null> {
  const known = await db.order.findUnique({
    where: { stripePaymentIntentId: paymentIntentId },
    select: { id: true, stripeCheckoutSessionId: true },
  });
  if (known) return { orderId: known.id, sessionId: known.stripeCheckoutSessionId };
  const named = objects.map((o) => orderIdFromPaymentIntent(o.object)).find((id) => id && isUuid(id));
  if (named) {
    const order = await db.order.findUnique({ where: { id: named }, select: { stripeCheckoutSessionId: true } });
    if (order) return { orderId: named, sessionId: order.stripeCheckoutSessionId };
  }
  const found = await read(step, () => findCheckoutSession(paymentIntentId)).catch((error: unknown) => {
    if (error instanceof PaymentRequestRejectedError && error.code === "resource_missing") return null;
    throw error;
  });
  if (!found?.orderId || !isUuid(found.orderId)) return null;
  return { orderId: found.orderId, sessionId: found.sessionId };
}
