import { z } from "zod";
import { addressSchema, amount, metadataSchema, nullableString, shippingSchema, timestamp } from "./common";

/**
 * A customer as Stripe creates one through the API: no balance, currency, payment source,
 * discount, tax exemption or test clock, since the emulator has none of those features.
 */
export const customerSchema = z.object({
  id: z.string(),
  object: z.literal("customer"),
  address: addressSchema.nullable(),
  balance: amount,
  created: timestamp,
  currency: z.null(),
  customer_account: z.null(),
  default_source: z.null(),
  delinquent: z.boolean(),
  description: nullableString,
  discount: z.null(),
  email: nullableString,
  invoice_prefix: z.string(),
  invoice_settings: z.object({
    custom_fields: z.null(),
    default_payment_method: z.null(),
    footer: z.null(),
    rendering_options: z.null(),
  }),
  livemode: z.literal(false),
  metadata: metadataSchema,
  name: nullableString,
  next_invoice_sequence: z.number().int(),
  phone: nullableString,
  preferred_locales: z.array(z.string()),
  shipping: shippingSchema.nullable(),
  tax_exempt: z.literal("none"),
  test_clock: z.null(),
});
export type Customer = z.infer<typeof customerSchema>;
