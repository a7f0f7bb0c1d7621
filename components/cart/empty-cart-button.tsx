"use client";

import { useState } from "react";
import { clearCart } from "./cart-provider";

/** Empties the saved cart, for a shopper who changed their mind. */
export function EmptyCartButton() {
  const [done, setDone] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => {
          clearCart();
          setDone(true);
        }}
        disabled={done}
        className="rounded-md border border-stone-300 px-5 py-2.5 font-semibold hover:border-red-700 disabled:opacity-60"
      >
        {done ? "Cart emptied" : "Empty the cart"}
      </button>
      <span role="status" className="sr-only">
        {done ? "Your cart is now empty." : ""}
      </span>
    </>
  );
}
