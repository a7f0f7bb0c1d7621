import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { cancelTransferPayment } from "@/lib/payments/payment-intents";
import type { TransferInstructions } from "@/lib/payments/types";
import { applySettlement } from "./fulfillment";
import { enqueueOrderEmail } from "./notifications";

/**
 * Deadlines of payments the shopper makes later. A bank transfer not received in full by its
 * due date is cancelled at Stripe, its stock released and the order expired (with an email);
 * a reminder goes out once, PAYMENT_REMINDER_HOURS before.
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
  summary.reminded = await sendReminders(now);
  return summary;
}

/** Queues the reminder for bank transfers due within PAYMENT_REMINDER_HOURS; once per order. */
async function sendReminders(now: Date): Promise<number> {
  const lead = env.PAYMENT_REMINDER_HOURS * 60 * 60_000;
  const due = await db.order.findMany({
    where: {
      status: "PENDING",
      paymentStatus: { not: "PAID" },
      paymentMethod: "BANK_TRANSFER",
      email: { not: null },
      transferInstructions: { not: Prisma.DbNull },
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
