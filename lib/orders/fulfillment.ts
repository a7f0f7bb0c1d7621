import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { enqueueOrderEmail } from "@/lib/email/outbox";
import { publishOrderChange } from "@/lib/live/publish";
import { retrieveCheckoutSnapshot } from "@/lib/payments/checkout";
import type { CheckoutSnapshot } from "@/lib/payments/types";
import { commitStock, commitStockFromShelf, releaseStock } from "./inventory";
import { decide, type EmailKind, type PaymentFacts } from "./state-machine";
import { isUuid } from "./ids";

type Tx = Prisma.TransactionClient;

export type FulfillmentResult =
  | { outcome: "applied"; orderId: string; changed: boolean; status: string }
  | { outcome: "ignored"; reason: string }
  | { outcome: "duplicate" };

const COUNTED_REFUNDS = new Set(["succeeded", "pending"]);
const OPEN_OR_LOST_DISPUTES = new Set([
  "warning_needs_response",
  "warning_under_review",
  "needs_response",
  "under_review",
  "lost",
]);

/**
 * Brings an order in line with what Stripe says about one of its Checkout sessions. This is
 * the only writer of payment state: the webhook, the success page, the reconciler and admin
 * resync all end here. Idempotent: applying the same truth twice changes nothing.
 *
 * When `eventId` is given, the webhook inbox row is locked in the same transaction and
 * marked processed with it, so an event is applied at most once even under racing deliveries.
 */
export async function fulfillCheckout(
  sessionId: string,
  options: { eventId?: string } = {},
): Promise<FulfillmentResult> {
  const snapshot = await retrieveCheckoutSnapshot(sessionId);
  return applyCheckoutSnapshot(snapshot, options);
}

/** Applies an already retrieved snapshot (see fulfillCheckout). */
export async function applyCheckoutSnapshot(
  snapshot: CheckoutSnapshot,
  options: { eventId?: string } = {},
): Promise<FulfillmentResult> {
  const orderId = snapshot.orderId;
  if (!orderId || !isUuid(orderId)) return { outcome: "ignored", reason: "the session carries no order of this store" };

  return db.$transaction(async (tx) => {
    if (options.eventId) {
      const inbox = await tx.$queryRaw<Array<{ processedAt: Date | null }>>`
        select "processedAt" from "WebhookEvent" where "stripeEventId" = ${options.eventId} for update`;
      if (inbox[0]?.processedAt) return { outcome: "duplicate" } as const;
    }
    const locked = await tx.$queryRaw<
      Array<{ id: string }>
    >`select id from "Order" where id = ${orderId}::uuid for update`;
    if (locked.length === 0) return { outcome: "ignored", reason: `no order ${orderId}` } as const;
    const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { items: true } });
    const knownSession =
      order.stripeCheckoutSessionId === snapshot.sessionId ||
      (await tx.checkoutSession.count({ where: { id: snapshot.sessionId, orderId } })) > 0;
    if (!knownSession)
      return {
        outcome: "ignored",
        reason: `session ${snapshot.sessionId} was not created for order ${orderId}`,
      } as const;

    const decision = decide(order, factsFrom(snapshot, order.stripeCheckoutSessionId === snapshot.sessionId));
    const next = { ...decision.next };
    const lines = order.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
    if (decision.stock === "commit") await commitStock(tx, lines);
    if (decision.stock === "release") await releaseStock(tx, lines);
    if (decision.stock === "commit-from-shelf" && !(await commitStockFromShelf(tx, lines))) {
      next.needsReview = true;
      next.reviewReason = "Paid after the reservation lapsed, and the stock is no longer available";
    }
    await recordLedger(tx, orderId, snapshot);

    const email = order.email ?? snapshot.email?.toLowerCase() ?? null;
    const changed = decision.changed || next.needsReview !== decision.next.needsReview || email !== order.email;
    if (changed) {
      await tx.order.update({
        where: { id: orderId },
        data: {
          status: next.status,
          paymentStatus: next.paymentStatus,
          stockState: next.stockState,
          amountRefunded: next.amountRefunded,
          needsReview: next.needsReview,
          reviewReason: next.reviewReason,
          disputed: next.disputed,
          email,
          stripePaymentIntentId: snapshot.paymentIntent?.id ?? order.stripePaymentIntentId,
          ...(next.status === "PAID" && !order.paidAt ? { paidAt: new Date() } : {}),
        },
      });
      await publishOrderChange(tx, orderId);
    }
    if (email) await enqueueEmails(tx, { ...order, amountRefunded: next.amountRefunded }, email, decision.emails);
    if (options.eventId) await markProcessed(tx, options.eventId, orderId);
    return { outcome: "applied", orderId, changed, status: next.status } as const;
  });
}

/** What Stripe's refunds take back from a payment: succeeded ones and those still pending. */
export function refundedAmount(refunds: ReadonlyArray<{ status: string; amount: number }>): number {
  return refunds.filter((r) => COUNTED_REFUNDS.has(r.status)).reduce((sum, r) => sum + r.amount, 0);
}

function factsFrom(snapshot: CheckoutSnapshot, currentSession: boolean): PaymentFacts {
  return {
    currentSession,
    sessionStatus: snapshot.status,
    paymentStatus: snapshot.paymentStatus,
    amountTotal: snapshot.amountTotal,
    currency: snapshot.currency,
    paymentIntentStatus: snapshot.paymentIntent?.status ?? null,
    amountRefunded: refundedAmount(snapshot.refunds),
    disputed: snapshot.disputes.some((d) => OPEN_OR_LOST_DISPUTES.has(d.status)),
  };
}

/** Upserts one ledger row per Stripe charge, refund and dispute; unique keys make repeats no-ops. */
async function recordLedger(tx: Tx, orderId: string, snapshot: CheckoutSnapshot): Promise<void> {
  const pi = snapshot.paymentIntent;
  const rows: Array<{
    kind: "CHARGE" | "REFUND" | "DISPUTE";
    id: string;
    amount: number;
    currency: string;
    status: string;
    chargeId: string | null;
  }> = [];
  if (pi?.chargeId && (pi.status === "succeeded" || pi.amountReceived > 0)) {
    rows.push({
      kind: "CHARGE",
      id: pi.chargeId,
      amount: pi.amountReceived,
      currency: pi.currency,
      status: pi.status,
      chargeId: pi.chargeId,
    });
  }
  for (const r of snapshot.refunds)
    rows.push({
      kind: "REFUND",
      id: r.id,
      amount: r.amount,
      currency: r.currency,
      status: r.status,
      chargeId: r.chargeId,
    });
  for (const d of snapshot.disputes)
    rows.push({
      kind: "DISPUTE",
      id: d.id,
      amount: d.amount,
      currency: d.currency,
      status: d.status,
      chargeId: d.chargeId,
    });
  for (const row of rows) {
    await tx.transaction.upsert({
      where: { kind_stripeObjectId: { kind: row.kind, stripeObjectId: row.id } },
      create: {
        orderId,
        kind: row.kind,
        stripeObjectId: row.id,
        amount: row.amount,
        currency: row.currency,
        status: row.status,
        stripePaymentIntentId: pi?.id ?? null,
        stripeChargeId: row.chargeId,
      },
      update: { status: row.status, amount: row.amount },
    });
  }
}

type OrderForEmail = {
  id: string;
  currency: string;
  amountTotal: number;
  amountRefunded: number;
  checkoutAttempt: number;
  items: Array<{ name: string; unitAmount: number; quantity: number }>;
};

/** Emails of the payment flow go once per checkout attempt; the refund notice once per order. */
function dedupeKey(order: OrderForEmail, kind: EmailKind): string {
  return kind === "REFUND_NOTICE" || kind === "ORDER_CONFIRMATION"
    ? `${order.id}:${kind}`
    : `${order.id}:${kind}:${order.checkoutAttempt}`;
}

async function enqueueEmails(tx: Tx, order: OrderForEmail, to: string, kinds: EmailKind[]): Promise<void> {
  for (const kind of kinds) await enqueueOrderEmail(tx, { order, kind, to, dedupeKey: dedupeKey(order, kind) });
}

async function markProcessed(tx: Tx, eventId: string, orderId: string): Promise<void> {
  await tx.webhookEvent.update({
    where: { stripeEventId: eventId },
    data: { processedAt: new Date(), outcome: "PROCESSED", orderId, error: null },
  });
}
