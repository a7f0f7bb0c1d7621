/** Display helpers for the dashboard; pure. */
import { formatMoney } from "@/lib/money";

/** "3 min", "5 h", "2 d": how long ago, for ages of pending payments. */
export function formatAge(from: Date, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** A timestamp in UTC, to the second: "2026-11-28 14:03:07 UTC". */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Milliseconds as "84 ms" or "2.3 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const METHOD_WORDS: Record<string, string> = {
  CARD: "Card",
  DIRECT_DEBIT: "Direct debit",
  BANK_TRANSFER: "Bank transfer",
};

/** How an order is paid, and what the store is waiting for with its age: the orders list's "Payment" cell. */
export function describePayment(
  order: {
    status: string;
    paymentStatus: string;
    channel: string;
    paymentMethod: string | null;
    amountReceived: number;
    amountTotal: number;
    currency: string;
    createdAt: Date;
    linkSentAt: Date | null;
  },
  now: Date = new Date(),
): { method: string; waiting: string | null } {
  const base = order.paymentMethod ? (METHOD_WORDS[order.paymentMethod] ?? order.paymentMethod) : "—";
  const method = order.channel === "PAYMENT_LINK" ? `Payment link${order.paymentMethod ? ` · ${base}` : ""}` : base;
  const unpaid = order.status === "PENDING" && order.paymentStatus !== "PAID";
  if (!unpaid) return { method, waiting: null };
  if (order.paymentMethod === "BANK_TRANSFER") {
    const age = formatAge(order.createdAt, now);
    return {
      method,
      waiting:
        order.amountReceived > 0
          ? `Partially funded: ${formatMoney(order.amountReceived, order.currency)} of ${formatMoney(order.amountTotal, order.currency)}, ${age}`
          : `Awaiting transfer, ${age}`,
    };
  }
  if (order.channel === "PAYMENT_LINK" && order.linkSentAt)
    return { method, waiting: `Link sent ${formatAge(order.linkSentAt, now)} ago` };
  return { method, waiting: null };
}
