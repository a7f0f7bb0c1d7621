import { z } from "zod";
import {
  amount,
  billingDetailsSchema,
  metadataSchema,
  nullableString,
  paymentMethodTypeSchema,
  timestamp,
} from "./common";

export const productSchema = z.object({
  id: z.string(),
  object: z.literal("product"),
  active: z.boolean(),
  created: timestamp,
  description: nullableString,
  images: z.array(z.string()),
  livemode: z.literal(false),
  // State saved before these fields existed loads with the values Stripe gives a new product.
  marketing_features: z.array(z.object({ name: z.string() })).default([]),
  metadata: metadataSchema,
  name: z.string(),
  package_dimensions: z.null().default(null),
  shippable: z.null().default(null),
  tax_details: z.null().default(null),
  type: z.literal("service").default("service"),
  updated: timestamp,
  url: z.null().default(null),
});
export type Product = z.infer<typeof productSchema>;

/** How often a recurring price bills; the emulator has no meters, so usage is always licensed. */
export const recurringSchema = z.object({
  interval: z.enum(["day", "week", "month", "year"]),
  interval_count: z.number().int(),
  meter: z.null(),
  trial_period_days: z.null(),
  usage_type: z.literal("licensed"),
});
export type Recurring = z.infer<typeof recurringSchema>;

export const priceSchema = z.object({
  id: z.string(),
  object: z.literal("price"),
  active: z.boolean(),
  billing_scheme: z.literal("per_unit"),
  created: timestamp,
  currency: z.string(),
  custom_unit_amount: z.null().default(null),
  livemode: z.literal(false),
  lookup_key: z.null().default(null),
  metadata: metadataSchema,
  nickname: nullableString,
  product: z.string(),
  recurring: recurringSchema.nullable(),
  tax_behavior: z.literal("unspecified").default("unspecified"),
  tiers_mode: z.null().default(null),
  transform_quantity: z.null().default(null),
  type: z.enum(["one_time", "recurring"]),
  unit_amount: amount,
  /** On the wire a decimal string; the SDK parses it into its Decimal class. */
  unit_amount_decimal: z.string().nullable().default(null),
});
export type Price = z.infer<typeof priceSchema>;

export const cardDetailsSchema = z.object({
  brand: z.string(),
  country: z.string(),
  exp_month: z.number().int(),
  exp_year: z.number().int(),
  funding: z.string(),
  last4: z.string(),
});

export const sepaDetailsSchema = z.object({
  bank_code: z.string(),
  country: z.string(),
  last4: z.string(),
});

/**
 * A card as its payment method describes it (a charge describes the same card in other fields).
 * State saved before the fields below existed loads with the values a test card gets.
 */
export const paymentMethodCardSchema = cardDetailsSchema.extend({
  checks: z
    .object({
      address_line1_check: z.null(),
      address_postal_code_check: z.null(),
      cvc_check: z.literal("pass"),
    })
    .default({ address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" }),
  display_brand: z.string().nullable().default(null),
  generated_from: z.null().default(null),
  networks: z
    .object({ available: z.array(z.string()), preferred: z.null() })
    .nullable()
    .default(null),
  regulated_status: z.literal("unregulated").default("unregulated"),
  three_d_secure_usage: z.object({ supported: z.boolean() }).default({ supported: true }),
  wallet: z.null().default(null),
});

/** A SEPA debit account as its payment method describes it. */
export const paymentMethodSepaSchema = sepaDetailsSchema.extend({
  branch_code: z.null().default(null),
  fingerprint: z.string().nullable().default(null),
  generated_from: z.null().default(null),
});

export const paymentMethodSchema = z.object({
  id: z.string(),
  object: z.literal("payment_method"),
  billing_details: billingDetailsSchema,
  card: paymentMethodCardSchema.optional(),
  created: timestamp,
  customer: z.null(),
  customer_account: z.null().default(null),
  livemode: z.literal(false),
  metadata: metadataSchema,
  sepa_debit: paymentMethodSepaSchema.optional(),
  customer_balance: z.object({}).optional(),
  type: paymentMethodTypeSchema,
});
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

/** What happens when this payment method is used; the emulator's stand-in for the card network. */
export const behaviorSchema = z.discriminatedUnion("outcome", [
  z.object({
    outcome: z.literal("succeed"),
    // Test cards whose payment the cardholder's bank then disputes, or asks about (an inquiry).
    dispute: z.object({ reason: z.string(), inquiry: z.boolean() }).optional(),
  }),
  z.object({
    outcome: z.literal("decline"),
    code: z.string(),
    declineCode: z.string().nullable(),
    message: z.string(),
  }),
  z.object({ outcome: z.literal("async_succeed") }),
  z.object({ outcome: z.literal("async_fail") }),
  // Waits for the shopper's transfer into the customer's cash balance.
  z.object({ outcome: z.literal("bank_transfer") }),
]);
export type Behavior = z.infer<typeof behaviorSchema>;

export const paymentMethodRecordSchema = z.object({ paymentMethod: paymentMethodSchema, behavior: behaviorSchema });
export type PaymentMethodRecord = z.infer<typeof paymentMethodRecordSchema>;
