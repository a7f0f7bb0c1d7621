import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ClearCart } from "@/components/cart/clear-cart";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { fulfillCheckout } from "@/lib/orders/fulfillment";
import { findOrderForShopper } from "@/lib/orders/read";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Thank you", referrer: "no-referrer", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CheckoutSuccessPage({ searchParams }: Props) {
  const query = await searchParams;
  const [sessionId, orderId, token] = [query.session_id, query.order, query.token].map((v) =>
    typeof v === "string" ? v : null,
  );
  if (!sessionId || !orderId || !token || !(await findOrderForShopper(orderId, token))) notFound();

  // The shopper may be back before Stripe's webhook: ask Stripe now, through the same single
  // writer the webhook uses. If Stripe cannot be reached, the webhook will still settle it.
  await fulfillCheckout(sessionId).catch((error: unknown) =>
    console.warn(
      `[checkout] success page could not confirm ${sessionId}: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  const order = await findOrderForShopper(orderId, token);
  if (!order) notFound();
  const statusUrl = `/orders/${order.id}?token=${encodeURIComponent(token)}`;
  const headline =
    order.status === "PAID"
      ? "Payment received — thank you!"
      : order.paymentStatus === "AWAITING_PAYMENT"
        ? "Order placed — awaiting your bank transfer"
        : "Processing your payment…";

  return (
    <section className="mx-auto flex max-w-xl flex-col gap-4">
      <ClearCart />
      <h1 className="text-3xl font-bold tracking-tight">{headline}</h1>
      <div role="status" aria-live="polite">
        <OrderStatusBadge status={order.status} paymentStatus={order.paymentStatus} />
      </div>
      <p>
        Your order page shows the live status and everything that happens next. Bookmark it, or use the link in your
        email.
      </p>
      <Link
        href={statusUrl}
        className="w-fit rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong"
      >
        Go to your order
      </Link>
    </section>
  );
}
