import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveOrderStatus } from "@/components/orders/live-order-status";
import { OrderSummary } from "@/components/orders/order-summary";
import { OrderTimeline } from "@/components/orders/order-timeline";
import { TransferInstructionsPanel } from "@/components/orders/transfer-instructions";
import { ExpiredLink } from "@/components/orders/expired-link";
import { tokenAccess } from "@/lib/orders/order-access";
import { findOrderForShopper, paymentLinkForShopper } from "@/lib/orders/read";
import { orderTimeline } from "@/lib/orders/timeline";
import { PaymentLinkCallout } from "./_components/payment-link-callout";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your order", referrer: "no-referrer", robots: { index: false } };

type Props = {
  params: Promise<{ orderId: string }>;
  searchParams: Promise<{ token?: string | string[]; link?: string | string[] }>;
};

export default async function OrderPage({ params, searchParams }: Props) {
  const { orderId } = await params;
  const { token, link } = await searchParams;
  const tokenValue = typeof token === "string" ? token : null;
  const order = await findOrderForShopper(orderId, tokenValue);
  if (!order || !tokenValue) {
    if (tokenValue && (await tokenAccess(orderId, tokenValue)) === "expired")
      return <ExpiredLink orderId={orderId} token={tokenValue} sent={link === "sent"} />;
    notFound();
  }
  const [timeline, paymentLink] = await Promise.all([orderTimeline(order.id), paymentLinkForShopper(order.id)]);

  return (
    <article className="mx-auto flex max-w-2xl flex-col gap-6">
      <header className="flex flex-col gap-2">
        <h1 className="text-3xl font-bold tracking-tight">Order {order.id.slice(0, 8).toUpperCase()}</h1>
        <LiveOrderStatus
          initial={{
            id: order.id,
            status: order.status,
            paymentStatus: order.paymentStatus,
            updatedAt: order.updatedAt,
            paymentMethod: order.paymentMethod,
            channel: order.channel,
            amountReceived: order.amountReceived,
            amountTotal: order.amountTotal,
            currency: order.currency,
          }}
          token={tokenValue}
        />
      </header>
      {order.paymentMethod === "BANK_TRANSFER" && order.status === "PENDING" && order.paymentStatus !== "PAID" ? (
        <TransferInstructionsPanel order={order} />
      ) : null}
      {paymentLink ? <PaymentLinkCallout link={paymentLink} /> : null}
      <OrderSummary order={order} />
      <OrderTimeline entries={timeline} />
    </article>
  );
}
