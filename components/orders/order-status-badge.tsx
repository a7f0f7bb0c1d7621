const LABELS: Record<string, { label: string; className: string }> = {
  PENDING: { label: "Pending", className: "bg-amber-100 text-amber-900" },
  AWAITING_PAYMENT: { label: "Direct debit in progress", className: "bg-sky-100 text-sky-900" },
  PAID: { label: "Paid", className: "bg-emerald-100 text-emerald-900" },
  FAILED: { label: "Payment failed", className: "bg-red-100 text-red-900" },
  EXPIRED: { label: "Checkout expired", className: "bg-stone-200 text-stone-800" },
  REFUNDED: { label: "Refunded", className: "bg-violet-100 text-violet-900" },
};

/**
 * A bank transfer is sent by the shopper, not collected from them: its own words while unpaid.
 * An order sent as a payment link that closed unpaid was cancelled, not a checkout that expired.
 */
const TRANSFER_LABELS: Record<string, { label: string; className: string }> = {
  AWAITING: { label: "Awaiting your bank transfer", className: "bg-sky-100 text-sky-900" },
  PARTIAL: { label: "Bank transfer partly received", className: "bg-sky-100 text-sky-900" },
  EXPIRED: { label: "Cancelled: not paid in time", className: "bg-stone-200 text-stone-800" },
  LINK_CLOSED: { label: "Cancelled", className: "bg-stone-200 text-stone-800" },
};

/** What an order's badge is decided by. */
export type BadgeOrder = {
  status: string;
  paymentStatus: string;
  /** CARD, DIRECT_DEBIT or BANK_TRANSFER once known. */
  paymentMethod?: string | null;
  amountReceived?: number;
  /** CHECKOUT, or PAYMENT_LINK for an order an admin sent as a link. */
  channel?: string | null;
};

/** Which of the labels an order's state takes. */
export function orderStatusKey(order: BadgeOrder): { transfer: boolean; key: string } {
  const { status, paymentStatus } = order;
  // An order sent as a payment link closes at its deadline or by the admin, not as a checkout.
  if (order.channel === "PAYMENT_LINK" && status === "EXPIRED") return { transfer: true, key: "LINK_CLOSED" };
  if (order.paymentMethod === "BANK_TRANSFER") {
    if (status === "PENDING" && paymentStatus !== "PAID")
      return { transfer: true, key: (order.amountReceived ?? 0) > 0 ? "PARTIAL" : "AWAITING" };
    if (status === "EXPIRED") return { transfer: true, key: "EXPIRED" };
  }
  return {
    transfer: false,
    key: status === "PENDING" && paymentStatus === "AWAITING_PAYMENT" ? "AWAITING_PAYMENT" : status,
  };
}

/** The order's state in words a shopper understands, in the terms of how they pay. */
export function describeOrderStatus(order: BadgeOrder): { label: string; className: string } {
  const { transfer, key } = orderStatusKey(order);
  return (
    (transfer ? TRANSFER_LABELS[key] : LABELS[key]) ?? { label: order.status, className: "bg-stone-200 text-stone-800" }
  );
}

export function OrderStatusBadge({ order }: { order: BadgeOrder }) {
  const { label, className } = describeOrderStatus(order);
  return <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${className}`}>{label}</span>;
}
