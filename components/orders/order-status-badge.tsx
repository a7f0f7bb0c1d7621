const LABELS: Record<string, { label: string; className: string }> = {
  PENDING: { label: "Pending", className: "bg-amber-100 text-amber-900" },
  AWAITING_PAYMENT: { label: "Direct debit in progress", className: "bg-sky-100 text-sky-900" },
  PAID: { label: "Paid", className: "bg-emerald-100 text-emerald-900" },
  FAILED: { label: "Payment failed", className: "bg-red-100 text-red-900" },
  EXPIRED: { label: "Checkout expired", className: "bg-stone-200 text-stone-800" },
  REFUNDED: { label: "Refunded", className: "bg-violet-100 text-violet-900" },
};

/** The order's state in words a shopper understands. */
export function describeOrderStatus(status: string, paymentStatus: string): { label: string; className: string } {
  const key = status === "PENDING" && paymentStatus === "AWAITING_PAYMENT" ? "AWAITING_PAYMENT" : status;
  return LABELS[key] ?? { label: status, className: "bg-stone-200 text-stone-800" };
}

export function OrderStatusBadge({ status, paymentStatus }: { status: string; paymentStatus: string }) {
  const { label, className } = describeOrderStatus(status, paymentStatus);
  return <span className={`inline-block rounded-full px-3 py-1 text-sm font-semibold ${className}`}>{label}</span>;
}
