import Link from "next/link";
import { notFound } from "next/navigation";
import { loadAdminOrder } from "@/lib/admin/order-detail";
import { requireAdminPage } from "@/lib/auth/guard";
import { LiveRefresh } from "../../_components/live-refresh";
import { isUuid } from "@/lib/orders/ids";
import { adminOrderPath } from "@/lib/orders/links";
import { OrderActions } from "./_components/order-actions";
import { OrderHeader } from "./_components/order-header";
import { CustomerAndPayment, ItemsAndAmounts } from "./_components/order-summary";
import { OrderTimeline } from "./_components/order-timeline";
import { PaymentLinkPanel } from "./_components/payment-link-panel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Order" };

export default async function AdminOrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  await requireAdminPage(adminOrderPath(orderId));
  const loaded = isUuid(orderId) ? await loadAdminOrder(orderId) : null;
  if (!loaded) notFound();
  const { order, timeline } = loaded;

  return (
    <div className="flex flex-col gap-6">
      <LiveRefresh orderId={order.id} />
      <OrderHeader order={order} />
      <div className="grid gap-6 lg:grid-cols-3">
        <ItemsAndAmounts order={order} />
        <CustomerAndPayment order={order} />
      </div>
      <PaymentLinkPanel order={order} />
      <OrderActions order={order} />
      <OrderTimeline timeline={timeline} />
      <Link href="/admin/orders" className="text-sm underline underline-offset-2">
        ← All orders
      </Link>
    </div>
  );
}
