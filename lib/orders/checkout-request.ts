import { z } from "zod";
import { MAX_REQUEST_LINE_QUANTITY } from "./limits";

const item = z.object({
  productId: z.uuid({ message: "productId must be a product id" }),
  quantity: z.coerce.number({ message: "quantity must be a number" }).int().min(1).max(MAX_REQUEST_LINE_QUANTITY),
});

/** The body of POST /api/checkout. Prices and totals are never taken from the client. */
export const checkoutRequestSchema = z.object({
  items: z.array(item).min(1, "the cart is empty").max(50),
  // Stored lower-cased, so the dashboard finds an order by email with a plain index lookup.
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .pipe(z.email({ message: "email must be an email address" }))
    .optional()
    .or(z.literal("").transform(() => undefined)),
  // How the shopper pays: at Checkout (card or debit, the default) or by bank transfer later.
  method: z.enum(["checkout", "bank_transfer"], { message: "method must be checkout or bank_transfer" }).optional(),
});

export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

/** Turns an HTML form's `items[0][productId]`, `items[0][quantity]`, `email` fields into the JSON shape. */
export function formToCheckoutRequest(form: FormData): unknown {
  const items: Array<Record<string, unknown>> = [];
  for (const [key, value] of form.entries()) {
    const match = /^items\[(\d{1,2})\]\[(productId|quantity)\]$/.exec(key);
    if (!match || typeof value !== "string") continue;
    const index = Number(match[1]);
    items[index] = { ...items[index], [match[2] as string]: value };
  }
  const email = form.get("email");
  const method = form.get("method");
  return {
    items: items.filter(Boolean),
    ...(typeof email === "string" ? { email } : {}),
    ...(typeof method === "string" ? { method } : {}),
  };
}
