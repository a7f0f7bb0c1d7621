"use client";

import { useEffect } from "react";
import { clearCart } from "./cart-provider";

/** Empties the cart once the order it became has been placed and paid or is on its way. */
export function ClearCart() {
  useEffect(() => clearCart(), []);
  return null;
}
