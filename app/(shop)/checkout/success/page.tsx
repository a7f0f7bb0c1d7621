import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { ClearCart } from "@/components/cart/clear-cart";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { orderPagePath } from "@/lib/orders/links";
import { tokenAccess } from "@/lib/orders/order-access";
import { findOrderForShopper, isCurrentSession } from "@/lib/orders/read";
import { requestSettle } from "@/lib/orders/settle-requests";
import { waitForOrderChange } from "@/lib/live/wait";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Thank you", referrer: "no-referrer", robots: { index: false } };

/** How long the page waits for the webhook before showing "processing". */
const WEBHOOK_GRACE_MS = 2_000;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CheckoutSuccessPage({ searchParams }: Props) {
  const query = await searchParams;
  const [sessionId, orderId, token] = [query.session_id, query.order, query.token].map((v) =>
    typeof v === "string" ? v : null,
  );
  const read = () => (sessionId && orderId && token ? findOrderForShopper(orderId, token) : Promise.resolve(null));
  let order = await read();
  if (!order && orderId && token && (await tokenAccess(orderId, token)) === "expired")
    redirect(orderPagePath(orderId, token));
  if (!order || !token || !sessionId) notFound();

  // The page shows what is stored. For the order's own current session: Stripe's webhook is usually a moment behind the shopper, so
  // wait briefly for the order's change (a NOTIFY, no Stripe call). If it has not come, the
  // worker is asked to check this order's own session (shortly, once, within the shared Stripe
  // budget), and the order page shows the change live.
  const unsettled = (o: { status: string; paymentStatus: string } | null) =>
    o?.status === "PENDING" && o.paymentStatus === "UNPAID";
  if (unsettled(order) && (await isCurrentSession(order.id, sessionId))) {
    await waitForOrderChange(order.id, WEBHOOK_GRACE_MS, async () => unsettled(await read()));
    order = (await read()) ?? order;
    if (unsettled(order)) await requestSettle(order.id, sessionId);
  }
  const statusUrl = orderPagePath(order.id, token);
  const transfer = order.paymentMethod === "BANK_TRANSFER";
  const headline =
    order.status === "PAID"
      ? "Payment received — thank you!"
      : transfer && order.status === "PENDING"
        ? "Order placed — now send your bank transfer"
        : order.paymentStatus === "AWAITING_PAYMENT"
          ? "Order placed — your direct debit is on its way"
          : "Processing your payment…";

  return (
    <section className="mx-auto flex max-w-xl flex-col gap-4">
      <ClearCart />
      <h1 className="text-3xl font-bold tracking-tight">{headline}</h1>
      <div role="status" aria-live="polite">
        <OrderStatusBadge order={order} />
      </div>
      <p>
        {transfer && order.status === "PENDING"
          ? "Your order page shows the bank details, the reference to quote and the date to pay by, and turns paid as soon as your money arrives. We email them to you too."
          : "Your order page shows the live status and everything that happens next. Bookmark it, or use the link in your email."}
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
