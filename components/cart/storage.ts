/**
 * The cart lives in the browser (localStorage), so it survives reloads without an account. This
 * is where and how it is written; reading it back, which is untrusted, is `schema.ts` (zod),
 * loaded apart so that pages do not evaluate zod while they hydrate.
 */
import type { CartLine } from "./line";

export const CART_STORAGE_KEY = "fieldnote.cart.v1";

/** Serialises the cart for storage. */
export function serializeCart(lines: CartLine[]): string {
  return JSON.stringify({ lines });
}
