import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { cancelTransferPayment } from "@/lib/payments/payment-intents";
import { deactivatePaymentLink } from "@/lib/payments/payment-links";
import type { TransferInstructions } from "@/lib/payments/types";
import { applySettlement } from "./fulfillment";
import { markPaymentLinkInactive } from "./link-orders";
import { enqueueOrderEmail } from "./notifications";

/**
 * Deadlines of payments the customer makes later. A bank transfer not received in full by its
 * due date is cancelled at Stripe; a payment link not paid by then is deactivated. Either way
 * the stock is released and the order expired (with an email). A reminder goes out once,
 * PAYMENT_REMINDER_HOURS before.
 */

export type DeadlineSummary = { closed: number; kept: number; failed: number; reminded: number };

/** Orders handled per run; the next run takes the rest. */
const BATCH = 50;

/** Closes overdue bank transfers and sends due reminders; one runner at a time (advisory lock). */
export async function runPaymentDeadlines(now = new Date()): Promise<DeadlineSummary> {
  const summary: DeadlineSummary = { closed: 0, kept: 0, failed: 0, reminded: 0 };
  const overdue = await db.order.findMany({
    where: {
      status: "PENDING",
      paymentMethod: "BANK_TRANSFER",
      paymentDueAt: { lt: now },
      stripePaymentIntentId: { not: null },
      // Money held for review is the admin's to decide, not the deadline's.
      paymentStatus: { not: "PAID" },
    },
    select: { id: true, stripePaymentIntentId: true, amountTotal: true, currency: true },
    orderBy: { paymentDueAt: "asc" },
    take: BATCH,
  });
  for (const order of overdue) {
    const paymentIntentId = order.stripePaymentIntentId as string;
    try {
      const cancellation = await cancelTransferPayment(paymentIntentId);
      if (cancellation.outcome === "kept") {
        summary.kept += 1;
        console.warn(
          `[deadlines] order ${order.id}: Stripe kept payment ${paymentIntentId} (${cancellation.status}); its events settle it`,
        );
        continue;
      }
      await applySettlement(order.id, [
        {
          snapshot: null,
          transfer: {
            paymentIntentId,
            orderId: order.id,
            customerId: null,
            amount: order.amountTotal,
            currency: order.currency,
            state: "canceled",
            amountRemaining: null,
            instructions: null,
          },
        },
      ]);
      summary.closed += 1;
    } catch (error) {
      summary.failed += 1;
      console.error(`[deadlines] order ${order.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  await closeOverdueLinks(now, summary);
  summary.reminded = await sendReminders(now);
  return summary;
}

/**
 * Payment links not paid by their deadline: the link stops taking payments first (so nobody
 * starts paying a closing order), then the order closes through the one settlement path. A
 * payment already under way (a debit being collected) is left to finish.
 */
async function closeOverdueLinks(now: Date, summary: DeadlineSummary): Promise<void> {
  const overdue = await db.order.findMany({
    where: { status: "PENDING", paymentStatus: "UNPAID", channel: "PAYMENT_LINK", paymentDueAt: { lt: now } },
    select: { id: true, stripePaymentLinkId: true, paymentLinkActive: true },
    orderBy: { paymentDueAt: "asc" },
    take: BATCH,
  });
  for (const order of overdue) {
    try {
      if (order.stripePaymentLinkId && order.paymentLinkActive) {
        await deactivatePaymentLink(order.stripePaymentLinkId);
        await markPaymentLinkInactive(order.id);
      }
      const result = await applySettlement(order.id, [{ snapshot: null, close: "unpaid" }]);
      if (result.outcome === "applied" && result.status === "EXPIRED") summary.closed += 1;
      else summary.kept += 1;
    } catch (error) {
      summary.failed += 1;
      console.error(`[deadlines] order ${order.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Queues the reminder for bank transfers and payment links due within PAYMENT_REMINDER_HOURS; once per order. */
async function sendReminders(now: Date): Promise<number> {
  const lead = env.PAYMENT_REMINDER_HOURS * 60 * 60_000;
  const due = await db.order.findMany({
    where: {
      status: "PENDING",
      paymentStatus: { not: "PAID" },
      email: { not: null },
      OR: [
        { paymentMethod: "BANK_TRANSFER", transferInstructions: { not: Prisma.DbNull } },
        { channel: "PAYMENT_LINK", paymentStatus: "UNPAID", paymentLinkActive: true },
      ],
      paymentDueAt: { gt: now, lte: new Date(now.getTime() + lead) },
      // An order placed inside the reminder window has its instructions fresh in the inbox.
      createdAt: { lt: new Date(now.getTime() - lead) },
      emails: { none: { kind: "PAYMENT_REMINDER" } },
    },
    include: { items: { orderBy: { name: "asc" } } },
    take: BATCH,
  });
  let queued = 0;
  for (const order of due) {
    const sent = await db.$transaction((tx) =>
      enqueueOrderEmail(tx, {
        order: { ...order, transferInstructions: order.transferInstructions as TransferInstructions | null },
        kind: "PAYMENT_REMINDER",
        to: order.email as string,
        dedupeKey: `${order.id}:PAYMENT_REMINDER`,
      }),
    );
    if (sent) queued += 1;
  }
  return queued;
}
