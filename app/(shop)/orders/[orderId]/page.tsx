import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { OrderSummary } from "@/components/orders/order-summary";
import { findOrderForShopper } from "@/lib/orders/read";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your order", referrer: "no-referrer", robots: { index: false } };

type Props = { params: Promise<{ orderId: string }>; searchParams: Promise<{ token?: string | string[] }> };

const NEXT_STEP: Record<string, string> = {
  PENDING: "We are waiting for the payment to be confirmed by Stripe. This page shows the latest status.",
  AWAITING_PAYMENT: "Bank transfers take a few days to clear. We will email you when the payment arrives.",
  PAID: "Thank you! Your payment is confirmed and we are preparing your order.",
  FAILED: "The payment did not go through. Your items are waiting: try again below.",
  EXPIRED: "The checkout expired before it was paid. Start a new checkout for the same items below.",
  REFUNDED: "This order was refunded in full.",
};

export default async function OrderPage({ params, searchParams }: Props) {
  const { orderId } = await params;
  const { token } = await searchParams;
  const tokenValue = typeof token === "string" ? token : null;
  const order = await findOrderForShopper(orderId, tokenValue);
  if (!order || !tokenValue) notFound();
  const stepKey =
    order.status === "PENDING" && order.paymentStatus === "AWAITING_PAYMENT" ? "AWAITING_PAYMENT" : order.status;
  const canRetry = order.status === "FAILED" || order.status === "EXPIRED";

  return (
    <article className="mx-auto flex max-w-2xl flex-col gap-6">
      <header className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold tracking-tight">Order {order.id.slice(0, 8).toUpperCase()}</h1>
        <div role="status" aria-live="polite" className="flex flex-col gap-2">
          <OrderStatusBadge status={order.status} paymentStatus={order.paymentStatus} />
          <p>{NEXT_STEP[stepKey]}</p>
        </div>
      </header>
      {canRetry ? (
        <form
          id="try-again"
          method="post"
          action={`/api/orders/${order.id}/checkout?token=${encodeURIComponent(tokenValue)}`}
          className="rounded-xl border border-stone-200 bg-white p-5"
        >
          <button
            type="submit"
            className="rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong"
          >
            Try again
          </button>
        </form>
      ) : null}
      <OrderSummary order={order} />
      <p className="text-sm text-muted">Placed {new Date(order.createdAt).toUTCString()}</p>
    </article>
  );
}
