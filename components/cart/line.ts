import { MAX_UNITS_PER_PRODUCT } from "@/lib/orders/limits";

/** One line of the cart, as the browser keeps it. */
export type CartLine = {
  productId: string;
  slug: string;
  name: string;
  image: string;
  /** For display only: checkout prices every line from the database. */
  unitAmount: number;
  currency: string;
  quantity: number;
  /** Units available when last seen; the cart never asks for more. */
  stock: number;
};

/** What one order may hold of one product (the checkout enforces it). */
export const MAX_LINE_QUANTITY = MAX_UNITS_PER_PRODUCT;
