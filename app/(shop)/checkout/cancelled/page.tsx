import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { EmptyCartButton } from "@/components/cart/empty-cart-button";
import { OrderSummary } from "@/components/orders/order-summary";
import { orderCheckoutPath, orderPagePath } from "@/lib/orders/links";
import { tokenAccess } from "@/lib/orders/order-access";
import { findOrderForShopper } from "@/lib/orders/read";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Checkout cancelled", referrer: "no-referrer", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CheckoutCancelledPage({ searchParams }: Props) {
  const query = await searchParams;
  const orderId = typeof query.order === "string" ? query.order : null;
  const token = typeof query.token === "string" ? query.token : null;
  const order = orderId && token ? await findOrderForShopper(orderId, token) : null;
  if (!order && orderId && token && (await tokenAccess(orderId, token)) === "expired")
    redirect(orderPagePath(orderId, token));
  if (!order || !token) notFound();

  return (
    <section className="mx-auto flex max-w-2xl flex-col gap-5">
      <h1 className="text-3xl font-bold tracking-tight">You left the checkout</h1>
      <p>
        Nothing was charged. Your order is kept with its items reserved until the checkout expires, so you can pick up
        where you left off.
      </p>
      <div className="flex flex-wrap gap-3">
        <form method="post" action={orderCheckoutPath(order.id, token)}>
          <button
            type="submit"
            className="rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong"
          >
            Resume checkout
          </button>
        </form>
        <Link href="/cart" className="rounded-md border border-stone-300 px-5 py-2.5 font-semibold hover:border-accent">
          Back to the cart
        </Link>
        <EmptyCartButton />
      </div>
      <OrderSummary order={order} />
    </section>
  );
}
