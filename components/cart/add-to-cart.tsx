"use client";

import { useId, useState } from "react";
import type { PublicProduct } from "@/lib/catalog/types";
import { quantityLimit } from "./rules";
import { useCart } from "./cart-provider";

export function AddToCart({ product }: { product: PublicProduct }) {
  const { add, lines } = useCart();
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState("");
  const quantityId = useId();
  const inCart = lines.find((l) => l.productId === product.id)?.quantity ?? 0;
  const remaining = quantityLimit(product.stock) - inCart;

  if (product.stock < 1) {
    return <p className="font-medium text-red-800">Sold out</p>;
  }

  const onAdd = () => {
    const take = Math.min(quantity, remaining);
    if (take < 1) {
      setMessage(`You already have all ${product.stock} available in your cart.`);
      return;
    }
    add({
      productId: product.id,
      slug: product.slug,
      name: product.name,
      image: product.image,
      unitAmount: product.unitAmount,
      currency: product.currency,
      stock: product.stock,
      quantity: take,
    });
    setQuantity(1);
    setMessage(`Added ${take} × ${product.name} to your cart.`);
  };

  return (
    <div className="flex flex-col gap-3">
      <div className="flex items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={quantityId} className="text-sm font-medium">
            Quantity
          </label>
          <select
            id={quantityId}
            value={quantity}
            onChange={(e) => setQuantity(Number(e.target.value))}
            disabled={remaining < 1}
            className="rounded-md border border-stone-300 bg-white px-3 py-2"
          >
            {Array.from({ length: Math.max(1, Math.min(remaining, 10)) }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          onClick={onAdd}
          disabled={remaining < 1}
          className="rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong disabled:cursor-not-allowed disabled:bg-stone-400"
        >
          Add to cart
        </button>
      </div>
      <p role="status" aria-live="polite" className="min-h-6 text-sm text-muted">
        {message}
      </p>
    </div>
  );
}
