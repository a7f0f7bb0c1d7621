import { z } from "zod";
import { priceSchema } from "./catalog";
import { amount, metadataSchema, nullableString, paymentMethodTypeSchema, shippingSchema, timestamp } from "./common";

export const lineItemSchema = z.object({
  id: z.string(),
  object: z.literal("item"),
  adjustable_quantity: z.null().default(null),
  amount_discount: amount,
  amount_subtotal: amount,
  amount_tax: amount,
  amount_total: amount,
  currency: z.string(),
  description: nullableString,
  metadata: metadataSchema.default({}),
  price: priceSchema,
  quantity: z.number().int(),
});
export type LineItem = z.infer<typeof lineItemSchema>;

export const sessionStatusSchema = z.enum(["open", "complete", "expired"]);
export const paymentStatusSchema = z.enum(["unpaid", "paid", "no_payment_required"]);

export const checkoutSessionSchema = z.object({
  id: z.string(),
  object: z.literal("checkout.session"),
  allowed_payment_method_types: z.array(z.string()).nullable(),
  amount_subtotal: amount,
  amount_total: amount,
  cancel_url: nullableString,
  client_reference_id: nullableString,
  created: timestamp,
  currency: z.string(),
  customer: z.null(),
  customer_details: z.object({ email: nullableString, name: nullableString }).nullable(),
  customer_email: nullableString,
  expires_at: timestamp,
  livemode: z.literal(false),
  locale: nullableString,
  metadata: metadataSchema,
  mode: z.literal("payment"),
  payment_intent: nullableString,
  payment_method_types: z.array(paymentMethodTypeSchema),
  payment_status: paymentStatusSchema,
  status: sessionStatusSchema,
  submit_type: nullableString,
  success_url: nullableString,
  // State saved before the API renamed "hosted" to "hosted_page" loads as the new name.
  ui_mode: z.enum(["hosted_page", "hosted"]).transform(() => "hosted_page" as const),
  url: nullableString,
});
export type CheckoutSession = z.infer<typeof checkoutSessionSchema>;

/** Settings Stripe copies onto the PaymentIntent it creates when the customer pays. */
export const intentDataSchema = z.object({
  description: nullableString,
  metadata: metadataSchema,
  receipt_email: nullableString,
  setup_future_usage: z.enum(["on_session", "off_session"]).nullable(),
  shipping: shippingSchema.nullable(),
});
export type IntentData = z.infer<typeof intentDataSchema>;

export const sessionRecordSchema = z.object({
  session: checkoutSessionSchema,
  lineItems: z.array(lineItemSchema),
  intentData: intentDataSchema,
  /**
   * When the session expires on the virtual clock (ms): `expires_at` (a real time, as the
   * client computed it) moved by the clock's offset at creation. Absent in older state files.
   */
  expiresAtMs: z.number().optional(),
});
export type SessionRecord = z.infer<typeof sessionRecordSchema>;
