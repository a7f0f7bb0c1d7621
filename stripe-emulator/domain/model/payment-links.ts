import { z } from "zod";
import { customerCreationSchema, lineItemSchema } from "./checkout";
import {
  invoicesOffSchema,
  metadataSchema,
  noCustomTextSchema,
  nullableString,
  paymentMethodTypeSchema,
} from "./common";

const afterCompletionSchema = z.union([
  z.object({
    hosted_confirmation: z.object({ custom_message: nullableString }),
    type: z.literal("hosted_confirmation"),
  }),
  z.object({ redirect: z.object({ url: z.string() }), type: z.literal("redirect") }),
]);

/** Subscription settings of a link that sells recurring prices: Stripe's defaults. */
const subscriptionDataSchema = z.object({
  description: z.null(),
  invoice_settings: z.object({
    account_tax_ids: z.null(),
    custom_fields: z.null(),
    description: z.null(),
    footer: z.null(),
    issuer: z.object({ type: z.literal("self") }),
  }),
  metadata: metadataSchema,
  trial_period_days: z.null(),
  trial_settings: z.null(),
});

/**
 * What the link's sessions give the PaymentIntents they create: a description and metadata; the
 * rest (capture, future usage, statement descriptors, transfer group) as Stripe leaves it unset.
 */
const paymentIntentDataSchema = z.object({
  capture_method: z.null(),
  description: nullableString,
  metadata: metadataSchema,
  setup_future_usage: z.null(),
  statement_descriptor: z.null(),
  statement_descriptor_suffix: z.null(),
  transfer_group: z.null(),
});
export type LinkIntentData = z.infer<typeof paymentIntentDataSchema>;

/** How many of the link's sessions may complete, and how many have. */
const restrictionsSchema = z.object({
  completed_sessions: z.object({ count: z.number().int(), limit: z.number().int() }),
});

/**
 * A payment link with Stripe's values for the features the emulator lacks (promotion codes,
 * taxes, Connect, custom fields, shipping, consent and phone collection). `url` is filled in on
 * the way out, from where the emulator is reachable now.
 */
export const paymentLinkSchema = z.object({
  id: z.string(),
  object: z.literal("payment_link"),
  active: z.boolean(),
  after_completion: afterCompletionSchema,
  allow_promotion_codes: z.literal(false),
  application: z.null(),
  application_fee_amount: z.null(),
  application_fee_percent: z.null(),
  automatic_tax: z.object({ enabled: z.literal(false), liability: z.null() }),
  billing_address_collection: z.literal("auto"),
  consent_collection: z.null(),
  currency: z.string(),
  custom_fields: z.array(z.never()),
  custom_text: noCustomTextSchema,
  customer_creation: customerCreationSchema,
  inactive_message: nullableString,
  invoice_creation: invoicesOffSchema.nullable(),
  livemode: z.literal(false),
  managed_payments: z.null(),
  metadata: metadataSchema,
  on_behalf_of: z.null(),
  payment_intent_data: paymentIntentDataSchema.nullable(),
  payment_method_collection: z.literal("always"),
  payment_method_options: z.null(),
  payment_method_types: z.array(paymentMethodTypeSchema).nullable(),
  phone_number_collection: z.object({ enabled: z.literal(false) }),
  restrictions: restrictionsSchema.nullable(),
  shipping_address_collection: z.null(),
  shipping_options: z.array(z.never()),
  submit_type: z.enum(["auto", "book", "donate", "pay"]),
  subscription_data: subscriptionDataSchema.nullable(),
  tax_id_collection: z.object({ enabled: z.literal(false), required: z.literal("never") }),
  transfer_data: z.null(),
  url: z.string(),
});
export type PaymentLink = z.infer<typeof paymentLinkSchema>;

export const paymentLinkRecordSchema = z.object({ link: paymentLinkSchema, lineItems: z.array(lineItemSchema) });
export type PaymentLinkRecord = z.infer<typeof paymentLinkRecordSchema>;
