/** What the cart reads from the store's API, parsed before use. */
import * as z from "@/lib/validation/browser-zod";

export const productsResponse = z.object({
  products: z.array(
    z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      image: z.string(),
      unitAmount: z.int(),
      currency: z.string(),
      stock: z.int(),
    }),
  ),
  payment: z.optional(z.object({ bankTransferDays: z.nullable(z.int()) })),
});

export const checkoutResponse = z.object({ url: z.url() });
export const errorResponse = z.object({ error: z.object({ message: z.string() }) });
