import "server-only";
import { db } from "@/lib/db";
import { formatMoney } from "@/lib/money";
import { timelineLabel } from "./handled-events";

/**
 * An order's history, told twice from the same rows: to its shopper in plain words (what was
 * paid, refunded and emailed) and to the admin with every detail (each webhook delivery, each
 * email's status, each admin action). One module owns both, so a fact is never told one way on
 * one page and another way on the other.
 */

/** A line of the shopper's timeline. */
export type TimelineEntry = { at: string; label: string };

/** A line of the admin's timeline. */
export type AdminTimelineEntry = {
  at: Date;
  kind: "order" | "checkout" | "event" | "ledger" | "email" | "audit";
  title: string;
  detail: string | null;
  /** Set on webhook events, whose raw JSON can be opened. */
  stripeEventId?: string;
};

type LedgerRow = {
  kind: "CHARGE" | "REFUND" | "DISPUTE";
  amount: number;
  currency: string;
  status: string;
  createdAt: Date;
};

/** The rows a timeline is told from; the admin's adds what only the admin sees. */
type HistoryRows = {
  createdAt: Date;
  checkoutSessions: Array<{ id: string; attempt: number; createdAt: Date }>;
  transactions: LedgerRow[];
};

type AdminHistoryRows = HistoryRows & {
  amountTotal: number;
  currency: string;
  transactions: Array<LedgerRow & { stripeObjectId: string }>;
  webhookEvents: Array<{
    stripeEventId: string;
    type: string;
    outcome: string;
    error: string | null;
    receivedAt: Date;
    processedAt: Date | null;
    duplicates: number;
    replays: number;
  }>;
  emails: Array<{
    subject: string;
    status: string;
    to: string;
    lastError: string | null;
    sentAt: Date | null;
    createdAt: Date;
  }>;
  auditLogs: Array<{ action: string; outcome: string; actorEmail: string; target: string | null; createdAt: Date }>;
};

const EMAIL_LABELS: Record<string, string> = {
  ORDER_CONFIRMATION: "Order confirmation emailed",
  AWAITING_PAYMENT: "“Direct debit in progress” emailed",
  TRANSFER_INSTRUCTIONS: "Bank transfer details emailed",
  PAYMENT_REMINDER: "Payment reminder emailed",
  PAYMENT_EXPIRED: "“Order cancelled” emailed",
  PAYMENT_FAILED: "“Payment failed” emailed, with a link to try again",
  REFUND_NOTICE: "Refund notice emailed",
  PAYMENT_LINK: "Payment link sent",
};

const LEDGER_NOUNS = { CHARGE: "Charge", REFUND: "Refund", DISPUTE: "Dispute" } as const;

function ledgerLabel(t: LedgerRow): string {
  const amount = formatMoney(t.amount, t.currency);
  if (t.kind === "CHARGE") return `Payment of ${amount} received`;
  if (t.kind === "REFUND") return `Refund of ${amount}`;
  return `Dispute of ${amount} (${t.status.replaceAll("_", " ")})`;
}

function oldestFirst<T extends { at: Date }>(entries: T[]): T[] {
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** What happened to an order, oldest first, in words for its shopper. */
export async function orderTimeline(orderId: string): Promise<TimelineEntry[]> {
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    include: {
      webhookEvents: { where: { outcome: "PROCESSED" }, select: { type: true, stripeCreatedAt: true } },
      transactions: true,
      emails: { where: { status: "SENT" }, select: { kind: true, sentAt: true } },
      checkoutSessions: { select: { id: true, attempt: true, createdAt: true } },
    },
  });
  const entries: Array<{ at: Date; label: string }> = [{ at: order.createdAt, label: "Order placed" }];
  for (const s of order.checkoutSessions)
    if (s.attempt > 1) entries.push({ at: s.createdAt, label: `Payment attempt ${s.attempt} started` });
  for (const e of order.webhookEvents) {
    const label = timelineLabel(e.type, order.paymentMethod);
    if (label) entries.push({ at: e.stripeCreatedAt, label });
  }
  for (const t of order.transactions) entries.push({ at: t.createdAt, label: ledgerLabel(t) });
  for (const e of order.emails)
    if (e.sentAt) entries.push({ at: e.sentAt, label: EMAIL_LABELS[e.kind] ?? "Email sent" });
  return oldestFirst(entries).map((e) => ({ at: e.at.toISOString(), label: e.label }));
}

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** Everything that happened to an order, oldest first, as the admin's detail page shows it. */
export function adminTimeline(order: AdminHistoryRows): AdminTimelineEntry[] {
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
      ? `handled after ${duration(e.processedAt.getTime() - e.receivedAt.getTime())}`
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
      title: `${LEDGER_NOUNS[t.kind]} ${formatMoney(t.amount, t.currency)}`,
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
  return oldestFirst(timeline);
}
