import { type AdminOrder } from "@/lib/admin/order-detail";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { Badge } from "../../../_components/badge";

/** The order's short id, its status (announced as it changes) and its flags. */
export function OrderHeader({ order }: { order: AdminOrder["order"] }) {
  return (
    <div className="flex flex-wrap items-center gap-4">
      <h1 className="text-2xl font-bold tracking-tight">
        Order <span className="font-mono">{order.id.slice(0, 8)}</span>
      </h1>
      <span aria-live="polite" data-testid="admin-order-status">
        <OrderStatusBadge order={order} />
      </span>
      {order.paymentStatus === "PARTIALLY_REFUNDED" ? <Badge tone="violet">Partially refunded</Badge> : null}
      {order.needsReview ? <Badge tone="amber">Needs review: {order.reviewReason}</Badge> : null}
      {order.disputed ? <Badge tone="red">Disputed</Badge> : null}
    </div>
  );
}
