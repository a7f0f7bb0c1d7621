import "server-only";
import { db } from "@/lib/db";
import { formatMoney } from "@/lib/money";
import { handlerFor } from "./handled-events";

export type TimelineEntry = { at: string; label: string };

const EMAIL_LABELS: Record<string, string> = {
  ORDER_CONFIRMATION: "Order confirmation emailed",
  AWAITING_PAYMENT: "“Awaiting your bank transfer” emailed",
  PAYMENT_FAILED: "“Payment failed” emailed, with a link to try again",
  REFUND_NOTICE: "Refund notice emailed",
};

/** What happened to an order, oldest first, in words for its shopper. */
export async function orderTimeline(orderId: string): Promise<TimelineEntry[]> {
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    include: {
      webhookEvents: { where: { outcome: "PROCESSED" }, select: { type: true, stripeCreatedAt: true } },
      transactions: true,
      emails: { where: { status: "SENT" }, select: { kind: true, sentAt: true } },
      checkoutSessions: { select: { attempt: true, createdAt: true } },
    },
  });
  const entries: Array<{ at: Date; label: string }> = [{ at: order.createdAt, label: "Order placed" }];
  for (const s of order.checkoutSessions)
    if (s.attempt > 1) entries.push({ at: s.createdAt, label: `Payment attempt ${s.attempt} started` });
  for (const e of order.webhookEvents) {
    const label = handlerFor(e.type)?.label;
    if (label) entries.push({ at: e.stripeCreatedAt, label });
  }
  for (const t of order.transactions) {
    const amount = formatMoney(t.amount, t.currency);
    const label =
      t.kind === "CHARGE"
        ? `Payment of ${amount} received`
        : t.kind === "REFUND"
          ? `Refund of ${amount}`
          : `Dispute of ${amount} (${t.status.replaceAll("_", " ")})`;
    entries.push({ at: t.createdAt, label });
  }
  for (const e of order.emails)
    if (e.sentAt) entries.push({ at: e.sentAt, label: EMAIL_LABELS[e.kind] ?? "Email sent" });
  return entries
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => ({ at: e.at.toISOString(), label: e.label }));
}
