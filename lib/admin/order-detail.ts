import "server-only";
import { db } from "@/lib/db";
import { formatMoney } from "@/lib/money";

export type AdminTimelineEntry = {
  at: Date;
  kind: "order" | "checkout" | "event" | "ledger" | "email" | "audit";
  title: string;
  detail: string | null;
  /** Set on webhook events, whose raw JSON can be opened. */
  stripeEventId?: string;
};

const minutes = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** An order with everything the admin detail page shows, and its merged timeline (oldest first). */
export async function loadAdminOrder(orderId: string) {
  const order = await db.order.findUnique({
    where: { id: orderId },
    include: {
      items: { orderBy: { name: "asc" } },
      user: { select: { email: true, name: true } },
      transactions: { orderBy: { createdAt: "asc" } },
      webhookEvents: {
        orderBy: { receivedAt: "asc" },
        select: {
          stripeEventId: true,
          type: true,
          outcome: true,
          error: true,
          receivedAt: true,
          processedAt: true,
          duplicates: true,
          replays: true,
        },
      },
      emails: { orderBy: { createdAt: "asc" } },
      checkoutSessions: { orderBy: { attempt: "asc" } },
      auditLogs: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!order) return null;

  const timeline: AdminTimelineEntry[] = [
    {
      at: order.createdAt,
      kind: "order",
      title: "Order placed",
      detail: formatMoney(order.amountTotal, order.currency),
    },
  ];
  for (const s of order.checkoutSessions)
    timeline.push({ at: s.createdAt, kind: "checkout", title: `Checkout attempt ${s.attempt} created`, detail: s.id });
  for (const e of order.webhookEvents) {
    const handled = e.processedAt
      ? `handled after ${minutes(e.processedAt.getTime() - e.receivedAt.getTime())}`
      : "not handled yet";
    const extras = [
      e.duplicates ? `${e.duplicates} duplicate deliveries` : "",
      e.replays ? `replayed ${e.replays}×` : "",
    ]
      .filter(Boolean)
      .join(", ");
    timeline.push({
      at: e.receivedAt,
      kind: "event",
      title: `Webhook ${e.type}`,
      detail: [`${e.outcome.toLowerCase()}, ${handled}`, extras, e.error ?? ""].filter(Boolean).join(" · "),
      stripeEventId: e.stripeEventId,
    });
  }
  for (const t of order.transactions)
    timeline.push({
      at: t.createdAt,
      kind: "ledger",
      title: `${t.kind === "CHARGE" ? "Charge" : t.kind === "REFUND" ? "Refund" : "Dispute"} ${formatMoney(t.amount, t.currency)}`,
      detail: `${t.status} · ${t.stripeObjectId}`,
    });
  for (const m of order.emails)
    timeline.push({
      at: m.sentAt ?? m.createdAt,
      kind: "email",
      title: `Email “${m.subject}”`,
      detail: `${m.status.toLowerCase()} to ${m.to}${m.lastError ? ` · ${m.lastError}` : ""}`,
    });
  for (const a of order.auditLogs)
    timeline.push({
      at: a.createdAt,
      kind: "audit",
      title: `Admin ${a.action.replace("_", " ")} (${a.outcome})`,
      detail: `by ${a.actorEmail}${a.target ? ` · ${a.target}` : ""}`,
    });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { order, timeline };
}

export type AdminOrder = NonNullable<Awaited<ReturnType<typeof loadAdminOrder>>>;

/** A stored webhook event's JSON, exactly as Stripe sent it. */
export async function loadRawEvent(stripeEventId: string): Promise<unknown> {
  const row = await db.webhookEvent.findUnique({ where: { stripeEventId }, select: { payload: true } });
  return row?.payload ?? null;
}
