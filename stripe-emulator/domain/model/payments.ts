import { z } from "zod";
import { bankTransferNextActionSchema, customerBalanceOptionsSchema } from "./bank-transfers";
import { cardDetailsSchema, paymentMethodSchema, sepaDetailsSchema } from "./catalog";
import {
  amount,
  billingDetailsSchema,
  metadataSchema,
  nullableString,
  paymentMethodTypeSchema,
  shippingSchema,
  timestamp,
} from "./common";

export const paymentErrorSchema = z.object({
  type: z.enum(["api_error", "card_error", "idempotency_error", "invalid_request_error"]),
  code: z.string(),
  decline_code: z.string().optional(),
  message: z.string(),
  // The whole payment method, as Stripe attaches it; state saved with only its id and type drops it.
  payment_method: z.preprocess(
    (value) => (value && typeof value === "object" && "object" in value ? value : undefined),
    paymentMethodSchema.optional(),
  ),
});
export type PaymentError = z.infer<typeof paymentErrorSchema>;

export const paymentIntentStatusSchema = z.enum([
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing",
  "succeeded",
  "canceled",
]);

export const paymentIntentSchema = z.object({
  id: z.string(),
  object: z.literal("payment_intent"),
  amount,
  amount_capturable: amount,
  amount_received: amount,
  canceled_at: timestamp.nullable(),
  cancellation_reason: z
    .enum([
      "abandoned",
      "automatic",
      "duplicate",
      "expired",
      "failed_invoice",
      "fraudulent",
      "requested_by_customer",
      "void_invoice",
    ])
    .nullable(),
  capture_method: z.enum(["automatic", "automatic_async"]),
  client_secret: z.string(),
  confirmation_method: z.literal("automatic"),
  created: timestamp,
  currency: z.string(),
  // Set for bank transfers, which fund the customer's cash balance.
  customer: nullableString,
  description: nullableString,
  last_payment_error: paymentErrorSchema.nullable(),
  latest_charge: nullableString,
  livemode: z.literal(false),
  metadata: metadataSchema,
  payment_method: nullableString,
  payment_method_types: z.array(paymentMethodTypeSchema),
  receipt_email: nullableString,
  setup_future_usage: z.enum(["on_session", "off_session"]).nullable(),
  shipping: shippingSchema.nullable(),
  status: paymentIntentStatusSchema,
  // Set when the intent was created without explicit payment_method_types (Checkout never does).
  automatic_payment_methods: z
    .object({ allow_redirects: z.enum(["always", "never"]), enabled: z.boolean() })
    .nullable()
    .default(null),
  // The filters given at creation through the PaymentIntents API, as they were given.
  allowed_payment_method_types: z.array(z.string()).nullable().default(null),
  excluded_payment_method_types: z.array(z.string()).nullable().default(null),
  // Fields of the current API the emulator has no feature behind: Stripe's values for a
  // payment without Connect or customers. State saved before they existed loads with them.
  application: z.null().default(null),
  application_fee_amount: z.null().default(null),
  customer_account: z.null().default(null),
  managed_payments: z.null().default(null),
  next_action: bankTransferNextActionSchema.nullable().default(null),
  on_behalf_of: z.null().default(null),
  payment_method_configuration_details: z.null().default(null),
  payment_method_options: z
    .object({
      card: z
        .object({
          installments: z.null(),
          mandate_options: z.null(),
          network: z.null(),
          request_three_d_secure: z.literal("automatic"),
        })
        .optional(),
      customer_balance: customerBalanceOptionsSchema.optional(),
      sepa_debit: z.object({}).optional(),
    })
    .nullable()
    .default(null),
  payment_record: z.null().default(null),
  processing: z.null().default(null),
  review: z.null().default(null),
  source: z.null().default(null),
  statement_descriptor: z.null().default(null),
  statement_descriptor_suffix: z.null().default(null),
  transfer_group: z.null().default(null),
});
export type PaymentIntent = z.infer<typeof paymentIntentSchema>;

/** A card as a charge describes it. State saved before these fields existed loads with a test card's. */
const chargeCardSchema = cardDetailsSchema.extend({
  amount_authorized: amount.nullable().default(null),
  authorization_code: z.null().default(null),
  checks: z
    .object({ address_line1_check: z.null(), address_postal_code_check: z.null(), cvc_check: z.literal("pass") })
    .nullable()
    .default(null),
  electronic_commerce_indicator: z.null().default(null),
  installments: z.null().default(null),
  mandate: z.null().default(null),
  network: z.string().nullable().default(null),
  network_transaction_id: z.null().default(null),
  regulated_status: z.literal("unregulated").default("unregulated"),
  three_d_secure: z.null().default(null),
  transaction_link_id: z.null().default(null),
  wallet: z.null().default(null),
});

/** A SEPA debit account as a charge describes it. */
const chargeSepaSchema = sepaDetailsSchema.extend({
  branch_code: z.null().default(null),
  fingerprint: z.string().nullable().default(null),
  mandate: z.null().default(null),
});

/** How the network answered, as Stripe reports it on a charge. */
export const chargeOutcomeSchema = z.object({
  advice_code: z.null(),
  network_advice_code: z.null(),
  network_decline_code: z.null(),
  network_status: z.enum(["approved_by_network", "declined_by_network"]),
  reason: z.string().nullable(),
  risk_level: z.enum(["normal", "not_assessed"]),
  seller_message: z.string(),
  type: z.enum(["authorized", "issuer_declined"]),
});
export type ChargeOutcome = z.infer<typeof chargeOutcomeSchema>;

export const chargeSchema = z.object({
  id: z.string(),
  object: z.literal("charge"),
  amount,
  amount_captured: amount,
  amount_refunded: amount,
  balance_transaction: z.null(),
  billing_details: billingDetailsSchema,
  captured: z.boolean(),
  created: timestamp,
  currency: z.string(),
  description: nullableString,
  disputed: z.boolean(),
  failure_code: nullableString,
  failure_message: nullableString,
  livemode: z.literal(false),
  metadata: metadataSchema,
  paid: z.boolean(),
  payment_intent: z.string(),
  payment_method: z.string(),
  payment_method_details: z.object({
    type: paymentMethodTypeSchema,
    card: chargeCardSchema.optional(),
    sepa_debit: chargeSepaSchema.optional(),
    customer_balance: z.object({}).optional(),
  }),
  receipt_email: nullableString,
  refunded: z.boolean(),
  status: z.enum(["succeeded", "pending", "failed"]),
  outcome: chargeOutcomeSchema.nullable().default(null),
  // Fields of the current API the emulator has no feature behind (Connect, customers, Radar
  // reviews, receipts, statement descriptors), with Stripe's values for a charge without them.
  application: z.null().default(null),
  application_fee: z.null().default(null),
  application_fee_amount: z.null().default(null),
  calculated_statement_descriptor: z.null().default(null),
  customer: nullableString.default(null),
  failure_balance_transaction: z.null().default(null),
  fraud_details: z.object({}).default({}),
  on_behalf_of: z.null().default(null),
  receipt_number: z.null().default(null),
  receipt_url: z.null().default(null),
  review: z.null().default(null),
  shipping: shippingSchema.nullable().default(null),
  source: z.null().default(null),
  source_transfer: z.null().default(null),
  statement_descriptor: z.null().default(null),
  statement_descriptor_suffix: z.null().default(null),
  transfer_data: z.null().default(null),
  transfer_group: z.null().default(null),
});
export type Charge = z.infer<typeof chargeSchema>;

/** The reasons Stripe records on a refund (`expired_uncaptured_charge` is Stripe's own). */
export const refundReasonSchema = z.enum([
  "duplicate",
  "expired_uncaptured_charge",
  "fraudulent",
  "requested_by_customer",
]);

export const refundSchema = z.object({
  id: z.string(),
  object: z.literal("refund"),
  amount,
  balance_transaction: z.null(),
  charge: z.string(),
  created: timestamp,
  currency: z.string(),
  // State saved before these fields existed loads with Stripe's values for them.
  customer: z.null().default(null),
  customer_account: z.null().default(null),
  metadata: metadataSchema,
  payment_intent: nullableString,
  payment_method: nullableString.default(null),
  reason: refundReasonSchema.nullable(),
  receipt_number: z.null().default(null),
  source_transfer_reversal: z.null().default(null),
  status: z.literal("succeeded"),
  transfer_reversal: z.null().default(null),
});
export type Refund = z.infer<typeof refundSchema>;

/** `warning_*` statuses are an inquiry's: the issuer asks before any chargeback, and no funds move. */
export const disputeStatusSchema = z.enum([
  "warning_needs_response",
  "warning_closed",
  "needs_response",
  "under_review",
  "won",
  "lost",
]);

const EVIDENCE_FIELDS = [
  "access_activity_log",
  "billing_address",
  "cancellation_policy",
  "cancellation_policy_disclosure",
  "cancellation_rebuttal",
  "customer_communication",
  "customer_email_address",
  "customer_name",
  "customer_purchase_ip",
  "customer_signature",
  "duplicate_charge_documentation",
  "duplicate_charge_explanation",
  "duplicate_charge_id",
  "product_description",
  "receipt",
  "refund_policy",
  "refund_policy_disclosure",
  "refund_refusal_explanation",
  "service_date",
  "service_documentation",
  "shipping_address",
  "shipping_carrier",
  "shipping_date",
  "shipping_documentation",
  "shipping_tracking_number",
  "uncategorized_file",
  "uncategorized_text",
] as const;

/** The evidence of a dispute nobody has answered yet: every field empty, as Stripe opens it. */
export function emptyEvidence() {
  return {
    ...(Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, null])) as Record<(typeof EVIDENCE_FIELDS)[number], null>),
    enhanced_evidence: {},
  };
}

const evidenceSchema = z.object({
  ...(Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, nullableString])) as Record<
    (typeof EVIDENCE_FIELDS)[number],
    typeof nullableString
  >),
  enhanced_evidence: z.object({}),
});

const evidenceDetailsSchema = z.object({
  due_by: timestamp.nullable(),
  enhanced_eligibility: z.object({}),
  has_evidence: z.boolean(),
  past_due: z.boolean(),
  submission_count: z.number().int(),
  submission_method: z.enum(["manual", "not_submitted", "smart_disputes"]),
});

/** How long a shopper's bank gives the merchant to answer a dispute in test mode (seconds). */
export const DISPUTE_RESPONSE_WINDOW_S = 7 * 24 * 3600;

export const disputeSchema = z.object({
  id: z.string(),
  object: z.literal("dispute"),
  amount,
  // The emulator keeps no balance: no balance transactions, as charges carry none.
  balance_transactions: z.array(z.never()).default([]),
  charge: z.string(),
  created: timestamp,
  currency: z.string(),
  enhanced_eligibility_types: z.array(z.never()).default([]),
  // State saved before these fields existed loads as an unanswered dispute.
  evidence: evidenceSchema.default(emptyEvidence),
  evidence_details: evidenceDetailsSchema.default({
    due_by: null,
    enhanced_eligibility: {},
    has_evidence: false,
    past_due: false,
    submission_count: 0,
    submission_method: "not_submitted",
  }),
  intended_submission_method: z.null().default(null),
  is_charge_refundable: z.boolean(),
  livemode: z.literal(false),
  metadata: metadataSchema,
  payment_intent: nullableString,
  reason: z.string(),
  status: disputeStatusSchema,
});
export type Dispute = z.infer<typeof disputeSchema>;
