import type { Metadata } from "next";
import { CartView } from "./_components/cart-view";

export const metadata: Metadata = { title: "Your cart" };

export default function CartPage() {
  return (
    <section aria-labelledby="cart-heading">
      <h1 id="cart-heading" className="mb-6 text-3xl font-bold tracking-tight">
        Your cart
      </h1>
      <CartView />
    </section>
  );
}
