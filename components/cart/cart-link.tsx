"use client";

import Link from "next/link";
import { useCart } from "./cart-provider";

export function CartLink() {
  const { itemCount, ready } = useCart();
  const label = ready ? `Cart, ${itemCount} ${itemCount === 1 ? "item" : "items"}` : "Cart";
  return (
    <Link
      href="/cart"
      aria-label={label}
      className="inline-flex items-center gap-2 rounded-full border border-stone-300 px-4 py-2 text-sm font-medium hover:border-accent"
    >
      {/* The space between the spans makes the visible text "Cart 0", which the label
          "Cart, 0 items" contains (WCAG 2.5.3, label in name); without it the text reads
          "Cart0". Flex layout ignores it. */}
      <span aria-hidden="true">Cart</span>{" "}
      <span
        aria-hidden="true"
        data-testid="cart-count"
        className="min-w-6 rounded-full bg-accent px-2 text-center text-white"
      >
        {ready ? itemCount : 0}
      </span>
    </Link>
  );
}
