import { z } from "zod";
import { customerBalanceOptionsSchema } from "./bank-transfers";
import { priceSchema } from "./catalog";
import {
  addressSchema,
  amount,
  invoicesOff,
  invoicesOffSchema,
  metadataSchema,
  noCustomText,
  noCustomTextSchema,
  nullableString,
  paymentMethodTypeSchema,
  shippingSchema,
  timestamp,
} from "./common";

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
export const submitTypeSchema = z.enum(["auto", "book", "donate", "pay", "subscribe"]);
export const billingAddressCollectionSchema = z.enum(["auto", "required"]);
export const customerCreationSchema = z.enum(["always", "if_required"]);

/** What Checkout learned about the customer; the emulator's page collects email and name. */
export const customerDetailsSchema = z.object({
  // State saved before these fields existed loads with what the page collected: nothing.
  address: addressSchema.nullable().default(null),
  business_name: z.null().default(null),
  email: nullableString,
  individual_name: z.null().default(null),
  name: nullableString,
  phone: nullableString.default(null),
  tax_exempt: z.enum(["exempt", "none", "reverse"]).nullable().default("none"),
  tax_ids: z.array(z.never()).nullable().default([]),
});
export type CustomerDetails = z.infer<typeof customerDetailsSchema>;

const totalDetailsSchema = z.object({ amount_discount: amount, amount_shipping: amount, amount_tax: amount });

/**
 * Settings of features the emulator does not run (tax, invoices, custom text and fields,
 * promotion codes): they hold the values Stripe gives a session that did not ask for them.
 */
const notRunFeatures = {
  adaptive_pricing: z.object({ enabled: z.literal(false) }).default({ enabled: false }),
  after_expiration: z.null().default(null),
  allow_promotion_codes: z.null().default(null),
  automatic_tax: z
    .object({ enabled: z.literal(false), liability: z.null(), provider: z.null(), status: z.null() })
    .default({ enabled: false, liability: null, provider: null, status: null }),
  collected_information: z.null().default(null),
  consent: z.null().default(null),
  consent_collection: z.null().default(null),
  currency_conversion: z.null().default(null),
  custom_fields: z.array(z.never()).default([]),
  custom_text: noCustomTextSchema.default(noCustomText),
  customer_account: z.null().default(null),
  discounts: z.array(z.never()).default([]),
  integration_identifier: z.null().default(null),
  invoice: z.null().default(null),
  invoice_creation: invoicesOffSchema.default(invoicesOff),
  managed_payments: z.null().default(null),
  origin_context: z.null().default(null),
  payment_method_collection: z.literal("always").default("always"),
  payment_method_configuration_details: z.null().default(null),
  permissions: z.null().default(null),
  phone_number_collection: z.object({ enabled: z.literal(false) }).default({ enabled: false }),
  recovered_from: z.null().default(null),
  saved_payment_method_options: z.null().default(null),
  setup_intent: z.null().default(null),
  shipping_address_collection: z.null().default(null),
  shipping_cost: z.null().default(null),
  shipping_options: z.array(z.never()).default([]),
  subscription: z.null().default(null),
  wallet_options: z.null().default(null),
};

const notRunFeaturesSchema = z.object(notRunFeatures);

/** The values of a new session for the features the emulator does not run. */
export function featuresNotRun(): z.infer<typeof notRunFeaturesSchema> {
  return notRunFeaturesSchema.parse({});
}

export const checkoutSessionSchema = z.object({
  id: z.string(),
  object: z.literal("checkout.session"),
  ...notRunFeatures,
  allowed_payment_method_types: z.array(z.string()).nullable(),
  amount_subtotal: amount,
  amount_total: amount,
  billing_address_collection: billingAddressCollectionSchema.nullable().default(null),
  cancel_url: nullableString,
  client_reference_id: nullableString,
  // Stripe gives a client secret to embedded and elements sessions only.
  client_secret: z.null().default(null),
  created: timestamp,
  currency: z.string(),
  // Given at creation, or the one Checkout creates for a bank transfer or `customer_creation: always`.
  customer: nullableString.default(null),
  customer_creation: customerCreationSchema.nullable().default("if_required"),
  customer_details: customerDetailsSchema.nullable(),
  customer_email: nullableString,
  expires_at: timestamp,
  livemode: z.literal(false),
  locale: nullableString,
  metadata: metadataSchema,
  mode: z.literal("payment"),
  payment_intent: nullableString,
  // The payment link the session was opened from; state saved before links opened sessions has none.
  payment_link: nullableString.default(null),
  payment_method_options: z.object({ customer_balance: customerBalanceOptionsSchema.optional() }).default({}),
  payment_method_types: z.array(paymentMethodTypeSchema),
  payment_status: paymentStatusSchema,
  status: sessionStatusSchema,
  submit_type: submitTypeSchema.nullable(),
  success_url: nullableString,
  // No discounts, shipping or tax: the emulator computes none of them.
  total_details: totalDetailsSchema.nullable().default({ amount_discount: 0, amount_shipping: 0, amount_tax: 0 }),
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
