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

/** Which of the labels an order's state takes. */
export function orderStatusKey(
  status: string,
  paymentStatus: string,
  method: string | null = null,
  amountReceived = 0,
  channel: string | null = null,
): { transfer: boolean; key: string } {
  // An order sent as a payment link closes at its deadline or by the admin, not as a checkout.
  if (channel === "PAYMENT_LINK" && status === "EXPIRED") return { transfer: true, key: "LINK_CLOSED" };
  if (method === "BANK_TRANSFER") {
    if (status === "PENDING" && paymentStatus !== "PAID")
      return { transfer: true, key: amountReceived > 0 ? "PARTIAL" : "AWAITING" };
    if (status === "EXPIRED") return { transfer: true, key: "EXPIRED" };
  }
  return {
    transfer: false,
    key: status === "PENDING" && paymentStatus === "AWAITING_PAYMENT" ? "AWAITING_PAYMENT" : status,
  };
}

/** The order's state in words a shopper understands, in the terms of how they pay. */
export function describeOrderStatus(
  status: string,
  paymentStatus: string,
  method: string | null = null,
  amountReceived = 0,
  channel: string | null = null,
): { label: string; className: string } {
  const { transfer, key } = orderStatusKey(status, paymentStatus, method, amountReceived, channel);
  return (transfer ? TRANSFER_LABELS[key] : LABELS[key]) ?? { label: status, className: "bg-stone-200 text-stone-800" };
}

export function OrderStatusBadge({
  status,
  paymentStatus,
  method = null,
  amountReceived = 0,
  channel = null,
}: {
  status: string;
  paymentStatus: string;
  method?: string | null;
  amountReceived?: number;
  channel?: string | null;
}) {
  const { label, className } = describeOrderStatus(status, paymentStatus, method, amountReceived, channel);
  return <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${className}`}>{label}</span>;
}
