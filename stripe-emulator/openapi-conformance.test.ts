/**
 * Every object the emulator returns or delivers, checked against Stripe's published OpenAPI
 * spec (the trimmed copy in test-support/openapi/schemas.json). The flows run through the real
 * SDK; response bodies are checked as they came over the wire and events as the webhook
 * receiver got them, each by its `object` field. The spec describes API version 2023-08-16;
 * where the API the emulator speaks has moved on, ALLOWED says how, entry by entry, with the
 * line of the SDK's generated types that shows it. Anything else fails, and so does an entry
 * nothing needs any more.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, sessionParams, startHarness, type Harness } from "./test-support/harness";
import { recordingStripe, type RecordedResponse } from "./test-support/openapi/recording-client";
import { checkAgainstSpec, loadSpec, schemaFor } from "./test-support/openapi/spec";
import type { Finding } from "./test-support/openapi/validate";

const spec = loadSpec();

/** The SDK's generated types (node_modules/stripe/esm/resources), where today's API is written down. */
const SDK_TYPES = path.join(import.meta.dirname, "../node_modules/stripe/esm/resources");

interface Allowed {
  /** As `keyOf` spells a finding: `extra <schema>.<field>`, `violation <schema>.<field>: <message>`. */
  finding: string;
  reason: string;
  /** A file under SDK_TYPES and a declaration it holds or, for a field the API dropped, lacks. */
  sdk: { file: string; declares: string } | { file: string; lacks: string };
}

const ADDED = "added to the API after 2023-08-16";

/** The differences between the spec's API version and the SDK's, and nothing else. */
const ALLOWED: Allowed[] = [
  // Checkout Sessions
  {
    finding: "extra checkout.session.allowed_payment_method_types",
    reason: `${ADDED}: the current way to choose payment methods, beside payment_method_types`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "allowed_payment_method_types: Array<string> | null;" },
  },
  {
    finding: "extra checkout.session.ui_mode",
    reason: `${ADDED}, with today's values (hosted_page, embedded_page, elements, form)`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "ui_mode: Session.UiMode | null;" },
  },
  {
    finding: "extra checkout.session.adaptive_pricing",
    reason: `${ADDED}: Adaptive Pricing's setting`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "adaptive_pricing: Session.AdaptivePricing | null;" },
  },
  {
    finding: "extra payment_pages_checkout_session_automatic_tax.liability",
    reason: `${ADDED}: who is liable for automatic tax`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "liability: AutomaticTax.Liability | null;" },
  },
  {
    finding: "extra payment_pages_checkout_session_automatic_tax.provider",
    reason: `${ADDED}: the tax provider of automatic tax`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "provider: string | null;" },
  },
  {
    finding: "extra checkout.session.client_secret",
    reason: `${ADDED}: the secret of embedded and elements sessions (null for hosted ones)`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "client_secret: string | null;" },
  },
  {
    finding: "extra checkout.session.collected_information",
    reason: `${ADDED}: what Checkout collected (shipping details, business name)`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "collected_information: Session.CollectedInformation | null;" },
  },
  {
    finding: "extra payment_pages_checkout_session_custom_text.after_submit",
    reason: `${ADDED}: custom text after the pay button`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "after_submit: CustomText.AfterSubmit | null;" },
  },
  {
    finding: "extra payment_pages_checkout_session_custom_text.terms_of_service_acceptance",
    reason: `${ADDED}: custom terms-of-service text`,
    sdk: {
      file: "Checkout/Sessions.d.ts",
      declares: "terms_of_service_acceptance: CustomText.TermsOfServiceAcceptance | null;",
    },
  },
  {
    finding: "extra checkout.session.customer_account",
    reason: `${ADDED}: the customer's account (Accounts v2)`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "customer_account: string | null;" },
  },
  {
    finding: "extra payment_pages_checkout_session_customer_details.business_name",
    reason: `${ADDED}: the payer's business name`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "business_name: string | null;" },
  },
  {
    finding: "extra payment_pages_checkout_session_customer_details.individual_name",
    reason: `${ADDED}: the payer's individual name`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "individual_name: string | null;" },
  },
  {
    finding: "extra checkout.session.discounts",
    reason: `${ADDED}: the coupons and promotion codes applied`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "discounts: Array<Session.Discount> | null;" },
  },
  {
    finding: "extra checkout.session.integration_identifier",
    reason: `${ADDED}: the integration identifier`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "integration_identifier: string | null;" },
  },
  {
    finding: "extra payment_pages_checkout_session_invoice_settings.issuer",
    reason: `${ADDED}: the invoice's issuer`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "issuer: InvoiceData.Issuer | null;" },
  },
  {
    finding: "extra checkout.session.managed_payments",
    reason: `${ADDED}: Managed Payments' setting`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "managed_payments: Session.ManagedPayments | null;" },
  },
  {
    finding: "extra checkout.session.origin_context",
    reason: `${ADDED}: where the shopper came from`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "origin_context: Session.OriginContext | null;" },
  },
  {
    finding: "extra checkout.session.payment_method_configuration_details",
    reason: `${ADDED}: the payment method configuration used`,
    sdk: {
      file: "Checkout/Sessions.d.ts",
      declares: "payment_method_configuration_details: Session.PaymentMethodConfigurationDetails | null;",
    },
  },
  {
    finding: "extra checkout.session.permissions",
    reason: `${ADDED}: who may update the session`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "permissions: Session.Permissions | null;" },
  },
  {
    finding: "extra checkout.session.saved_payment_method_options",
    reason: `${ADDED}: saved payment method settings`,
    sdk: {
      file: "Checkout/Sessions.d.ts",
      declares: "saved_payment_method_options: Session.SavedPaymentMethodOptions | null;",
    },
  },
  {
    finding: "extra checkout.session.wallet_options",
    reason: `${ADDED}: wallet settings`,
    sdk: { file: "Checkout/Sessions.d.ts", declares: "wallet_options: Session.WalletOptions | null;" },
  },
  {
    finding: "extra item.adjustable_quantity",
    reason: `${ADDED} to line items`,
    sdk: { file: "LineItems.d.ts", declares: "adjustable_quantity: LineItem.AdjustableQuantity | null;" },
  },
  {
    finding: "extra item.metadata",
    reason: `${ADDED} to line items`,
    sdk: { file: "LineItems.d.ts", declares: "metadata: Metadata | null;" },
  },

  // Payment intents
  {
    finding: "extra payment_intent.allowed_payment_method_types",
    reason: `${ADDED}: the payment method filter a session passes on`,
    sdk: {
      file: "PaymentIntents.d.ts",
      declares: "allowed_payment_method_types: Array<PaymentIntent.AllowedPaymentMethodType> | null;",
    },
  },
  {
    finding: "extra payment_intent.excluded_payment_method_types",
    reason: `${ADDED}: the payment method filter a session passes on`,
    sdk: {
      file: "PaymentIntents.d.ts",
      declares: "excluded_payment_method_types: Array<PaymentIntent.ExcludedPaymentMethodType> | null;",
    },
  },
  {
    finding: "extra payment_intent.customer_account",
    reason: `${ADDED}: the customer as an Accounts v2 account`,
    sdk: { file: "PaymentIntents.d.ts", declares: "customer_account: string | null;" },
  },
  {
    finding: "extra payment_intent.managed_payments",
    reason: ADDED,
    sdk: { file: "PaymentIntents.d.ts", declares: "managed_payments: PaymentIntent.ManagedPayments | null;" },
  },
  {
    finding: "extra payment_intent.payment_method_configuration_details",
    reason: ADDED,
    sdk: {
      file: "PaymentIntents.d.ts",
      declares: "payment_method_configuration_details: PaymentIntent.PaymentMethodConfigurationDetails | null;",
    },
  },
  {
    finding: "extra payment_intent.payment_record",
    reason: ADDED,
    sdk: { file: "PaymentIntents.d.ts", declares: "payment_record: string | PaymentRecord | null;" },
  },
  {
    finding: "extra payment_intent.source",
    reason: "the legacy Sources field, null for these payments; the SDK's PaymentIntent has it, the spec's schema not",
    sdk: { file: "PaymentIntents.d.ts", declares: "source: string | CustomerSource | DeletedCustomerSource | null;" },
  },

  // Charges
  {
    finding: "extra charge.source",
    reason: "the legacy Sources field, null for these payments; the SDK's Charge has it, the spec's schema not",
    sdk: { file: "Charges.d.ts", declares: "source: CustomerSource | null;" },
  },
  {
    finding: "extra charge_outcome.advice_code",
    reason: `${ADDED}: what to do after a decline`,
    sdk: { file: "Charges.d.ts", declares: "advice_code: Outcome.AdviceCode | null;" },
  },
  {
    finding: "extra charge_outcome.network_advice_code",
    reason: `${ADDED}: the card network's advice on a decline`,
    sdk: { file: "Charges.d.ts", declares: "network_advice_code: string | null;" },
  },
  {
    finding: "extra charge_outcome.network_decline_code",
    reason: `${ADDED}: the card network's decline code`,
    sdk: { file: "Charges.d.ts", declares: "network_decline_code: string | null;" },
  },
  {
    finding: "extra payment_method_details_card.amount_authorized",
    reason: `${ADDED} to a card charge's details`,
    sdk: { file: "Charges.d.ts", declares: "amount_authorized: number | null;" },
  },
  {
    finding: "extra payment_method_details_card.authorization_code",
    reason: `${ADDED} to a card charge's details`,
    sdk: { file: "Charges.d.ts", declares: "authorization_code: string | null;" },
  },
  {
    finding: "extra payment_method_details_card.electronic_commerce_indicator",
    reason: `${ADDED} to a card charge's details`,
    sdk: { file: "Charges.d.ts", declares: "electronic_commerce_indicator: string | null;" },
  },
  {
    finding: "extra payment_method_details_card.network_transaction_id",
    reason: `${ADDED} to a card charge's details`,
    sdk: { file: "Charges.d.ts", declares: "network_transaction_id: string | null;" },
  },
  {
    finding: "extra payment_method_details_card.regulated_status",
    reason: `${ADDED} to a card charge's details`,
    sdk: { file: "Charges.d.ts", declares: "regulated_status: Card.RegulatedStatus | null;" },
  },
  {
    finding: "extra payment_method_details_card.transaction_link_id",
    reason: `${ADDED} to a card charge's details`,
    sdk: { file: "Charges.d.ts", declares: "transaction_link_id: string | null;" },
  },
  {
    finding: "extra billing_details.tax_id",
    reason: `${ADDED}: the payer's tax ID in billing details (payment methods and charges)`,
    sdk: { file: "PaymentMethods.d.ts", declares: "tax_id: string | null;" },
  },

  // Payment methods
  {
    finding: "extra payment_method.customer_account",
    reason: `${ADDED}: the customer as an Accounts v2 account`,
    sdk: { file: "PaymentMethods.d.ts", declares: "customer_account: string | null;" },
  },
  {
    finding: "extra payment_method_card.display_brand",
    reason: `${ADDED}: the brand as shown to the customer`,
    sdk: { file: "PaymentMethods.d.ts", declares: "display_brand: string | null;" },
  },
  {
    finding: "extra payment_method_card.regulated_status",
    reason: `${ADDED}: whether the issuer is price-regulated`,
    sdk: { file: "PaymentMethods.d.ts", declares: "regulated_status: Card.RegulatedStatus | null;" },
  },

  // Refunds
  {
    finding: "extra refund.customer",
    reason: ADDED,
    sdk: { file: "Refunds.d.ts", declares: "customer: string | Customer | DeletedCustomer | null;" },
  },
  {
    finding: "extra refund.customer_account",
    reason: ADDED,
    sdk: { file: "Refunds.d.ts", declares: "customer_account: string | null;" },
  },
  {
    finding: "extra refund.payment_method",
    reason: ADDED,
    sdk: { file: "Refunds.d.ts", declares: "payment_method: string | PaymentMethod | null;" },
  },

  // Disputes: enhanced evidence (Visa Compelling Evidence 3.0) and how evidence is submitted
  {
    finding: "extra dispute.enhanced_eligibility_types",
    reason: ADDED,
    sdk: { file: "Disputes.d.ts", declares: "enhanced_eligibility_types: Array<Dispute.EnhancedEligibilityType>;" },
  },
  {
    finding: "extra dispute.intended_submission_method",
    reason: ADDED,
    sdk: { file: "Disputes.d.ts", declares: "intended_submission_method: Dispute.IntendedSubmissionMethod | null;" },
  },
  {
    finding: "extra dispute_evidence.enhanced_evidence",
    reason: ADDED,
    sdk: { file: "Disputes.d.ts", declares: "enhanced_evidence: Evidence.EnhancedEvidence;" },
  },
  {
    finding: "extra dispute_evidence_details.enhanced_eligibility",
    reason: ADDED,
    sdk: { file: "Disputes.d.ts", declares: "enhanced_eligibility: EvidenceDetails.EnhancedEligibility;" },
  },
  {
    finding: "extra dispute_evidence_details.submission_method",
    reason: ADDED,
    sdk: { file: "Disputes.d.ts", declares: "submission_method: EvidenceDetails.SubmissionMethod;" },
  },

  // Customers and payment links
  {
    finding: "extra customer.customer_account",
    reason: `${ADDED}: the customer's account (Accounts v2)`,
    sdk: { file: "Customers.d.ts", declares: "customer_account?: string | null;" },
  },
  {
    finding: "extra payment_links_resource_automatic_tax.liability",
    reason: `${ADDED}: who is liable for automatic tax`,
    sdk: { file: "PaymentLinks.d.ts", declares: "liability: AutomaticTax.Liability | null;" },
  },
  {
    finding: "extra payment_links_resource_custom_text.after_submit",
    reason: `${ADDED}: custom text after the pay button`,
    sdk: { file: "PaymentLinks.d.ts", declares: "after_submit: CustomText.AfterSubmit | null;" },
  },
  {
    finding: "extra payment_links_resource_custom_text.terms_of_service_acceptance",
    reason: `${ADDED}: custom terms-of-service text`,
    sdk: {
      file: "PaymentLinks.d.ts",
      declares: "terms_of_service_acceptance: CustomText.TermsOfServiceAcceptance | null;",
    },
  },
  {
    finding: "extra payment_link.inactive_message",
    reason: `${ADDED}: the message an inactive link shows`,
    sdk: { file: "PaymentLinks.d.ts", declares: "inactive_message: string | null;" },
  },
  {
    finding: "extra payment_links_resource_invoice_settings.issuer",
    reason: `${ADDED}: the invoice's issuer`,
    sdk: { file: "PaymentLinks.d.ts", declares: "issuer: InvoiceData.Issuer | null;" },
  },
  {
    finding: "extra payment_link.managed_payments",
    reason: `${ADDED}: Managed Payments' setting`,
    sdk: { file: "PaymentLinks.d.ts", declares: "managed_payments: PaymentLink.ManagedPayments | null;" },
  },
  {
    finding: "extra payment_link.payment_method_options",
    reason: `${ADDED}: per-method options of the link's sessions`,
    sdk: { file: "PaymentLinks.d.ts", declares: "payment_method_options: PaymentLink.PaymentMethodOptions | null;" },
  },
  {
    finding: "extra payment_link.restrictions",
    reason: `${ADDED}: limits on how many sessions may complete`,
    sdk: { file: "PaymentLinks.d.ts", declares: "restrictions: PaymentLink.Restrictions | null;" },
  },
  {
    finding: "extra payment_links_resource_payment_intent_data.description",
    reason: `${ADDED}: the description the link's PaymentIntents get`,
    sdk: { file: "PaymentLinks.d.ts", declares: "description: string | null;" },
  },
  {
    finding: "extra payment_links_resource_payment_intent_data.metadata",
    reason: `${ADDED}: the metadata the link's PaymentIntents get`,
    sdk: { file: "PaymentLinks.d.ts", declares: "metadata: Metadata;" },
  },
  {
    finding: "extra payment_links_resource_payment_intent_data.statement_descriptor",
    reason: `${ADDED}: the statement descriptor of non-card payments`,
    sdk: { file: "PaymentLinks.d.ts", declares: "statement_descriptor: string | null;" },
  },
  {
    finding: "extra payment_links_resource_payment_intent_data.statement_descriptor_suffix",
    reason: `${ADDED}: the statement descriptor suffix of card payments`,
    sdk: { file: "PaymentLinks.d.ts", declares: "statement_descriptor_suffix: string | null;" },
  },
  {
    finding: "extra payment_links_resource_payment_intent_data.transfer_group",
    reason: `${ADDED}: the transfer group of the link's PaymentIntents`,
    sdk: { file: "PaymentLinks.d.ts", declares: "transfer_group: string | null;" },
  },
  {
    finding: "extra payment_links_resource_tax_id_collection.required",
    reason: `${ADDED}: whether a tax id is required`,
    sdk: { file: "PaymentLinks.d.ts", declares: "required: TaxIdCollection.Required;" },
  },

  // Bank transfers and cash balances
  {
    finding: "extra cash_balance.customer_account",
    reason: `${ADDED}: the Account a cash balance belongs to, null for a customer`,
    sdk: { file: "CashBalances.d.ts", declares: "customer_account: string | null;" },
  },
  {
    finding: "extra customer_cash_balance_transaction.customer_account",
    reason: `${ADDED}: the Account a transaction belongs to, null for a customer`,
    sdk: { file: "CustomerCashBalanceTransactions.d.ts", declares: "customer_account: string | null;" },
  },
  {
    finding: "extra funding_instructions_bank_transfer_iban_record.account_holder_address",
    reason: `${ADDED}: the account holder's address in the instructions`,
    sdk: { file: "PaymentIntents.d.ts", declares: "account_holder_address: Address;" },
  },
  {
    finding: "extra funding_instructions_bank_transfer_iban_record.bank_address",
    reason: `${ADDED}: the bank's address in the instructions`,
    sdk: { file: "PaymentIntents.d.ts", declares: "bank_address: Address;" },
  },
  {
    finding: "extra funding_instructions_bank_transfer_financial_address.aba",
    reason: `${ADDED}: US transfers' ABA account and routing numbers`,
    sdk: { file: "PaymentIntents.d.ts", declares: "aba?: FinancialAddress.Aba;" },
  },
  {
    finding: "extra funding_instructions_bank_transfer_financial_address.swift",
    reason: `${ADDED}: international wires' SWIFT details`,
    sdk: { file: "PaymentIntents.d.ts", declares: "swift?: FinancialAddress.Swift;" },
  },
  ...(["aba", "swift"] as const).map((type): Allowed => ({
    finding: `violation funding_instructions_bank_transfer_financial_address.type: "${type}" is not one of ["iban","sort_code","spei","zengin"]`,
    reason: `${ADDED}: the ${type} address type`,
    sdk: {
      file: "PaymentIntents.d.ts",
      declares: "type Type = 'aba' | 'iban' | 'sort_code' | 'spei' | 'swift' | 'zengin' | OtherString;",
    },
  })),
  ...(["ach", "domestic_wire_us", "swift"] as const).map((network): Allowed => ({
    finding: `violation funding_instructions_bank_transfer_financial_address.supported_networks[]: "${network}" is not one of ["bacs","fps","sepa","spei","zengin"]`,
    reason: `${ADDED}: the ${network} network, which US and international transfers use`,
    sdk: {
      file: "PaymentIntents.d.ts",
      declares:
        "type SupportedNetwork = 'ach' | 'bacs' | 'chaps' | 'domestic_wire_us' | 'fps' | 'sepa' | 'spei' | 'swift' | 'zengin' | OtherString;",
    },
  })),

  // Products
  {
    finding: "violation product.features: required field missing",
    reason: "renamed marketing_features by the API after 2023-08-16; the SDK's Product has no features",
    sdk: { file: "Products.d.ts", lacks: "\n    features:" },
  },
  {
    finding: "extra product.marketing_features",
    reason: "the former features, renamed after 2023-08-16",
    sdk: { file: "Products.d.ts", declares: "marketing_features: Array<Product.MarketingFeature>;" },
  },
  {
    finding: "extra product.tax_details",
    reason: ADDED,
    sdk: { file: "Products.d.ts", declares: "tax_details: Product.TaxDetails | null;" },
  },
  {
    finding: "extra product.type",
    reason: "the SDK's Product has it (good or service); the spec's schema not",
    sdk: { file: "Products.d.ts", declares: "type: Product.Type;" },
  },
];

/**
 * Object types the spec copy holds for objects the emulator does not serve yet. Every other
 * type in it (`spec.roots`) must come out of the flows below, so one that stops appearing fails;
 * once a type is served, its line goes.
 */
const NOT_SERVED_YET: string[] = [];

let h: Harness;
let stripe: Stripe;
let responses: RecordedResponse[];

beforeAll(async () => {
  h = await startHarness({ asyncDelaySeconds: 10 });
  ({ stripe, responses } = recordingStripe(h.emulator));
  await runFlows();
  await h.emulator.flushDeliveries();
});

afterAll(async () => {
  await h.close();
});

/** Waits for a request the emulator must refuse with `status`, so the error body is recorded. */
async function refused(promise: Promise<unknown>, status: number): Promise<void> {
  const error = await promise.then(
    () => new Error(`expected the emulator to refuse with ${status}`),
    (reason: unknown) => reason,
  );
  if (!(error instanceof Stripe.errors.StripeError) || error.statusCode !== status) throw error;
}

function idOf(value: string | { id: string } | null): string {
  if (value === null) throw new Error("expected an id or an object");
  return typeof value === "string" ? value : value.id;
}

/** Each flow the emulator serves, through the SDK; what comes back is recorded as it runs. */
async function runFlows(): Promise<void> {
  const { emulator } = h;

  // A card payment, and a session with everything it expands to.
  const paid = await stripe.checkout.sessions.create(sessionParams());
  emulator.pay(paid.id, "card_success", "jenny@example.com");
  const session = await stripe.checkout.sessions.retrieve(paid.id, {
    expand: ["payment_intent.latest_charge", "line_items"],
  });
  const intent = await stripe.paymentIntents.retrieve(idOf(session.payment_intent));
  const chargeId = idOf(intent.latest_charge);
  await stripe.charges.retrieve(chargeId);
  await stripe.checkout.sessions.listLineItems(paid.id);

  // A declined card (a failed charge, last_payment_error), then the session expired by hand.
  const declined = await stripe.checkout.sessions.create(sessionParams());
  emulator.pay(declined.id, "card_decline");
  await stripe.checkout.sessions.retrieve(declined.id, { expand: ["payment_intent.latest_charge"] });
  await stripe.checkout.sessions.expire(declined.id);

  // SEPA debits: submitted, then settled or failed once the clock passes the delay.
  const debits: string[] = [];
  for (const scenario of ["async_success", "async_failure"] as const) {
    const debit = await stripe.checkout.sessions.create(sessionParams());
    emulator.pay(debit.id, scenario);
    debits.push(debit.id);
    await stripe.checkout.sessions.retrieve(debit.id, { expand: ["payment_intent.latest_charge"] });
  }
  emulator.advanceClock(11);
  for (const id of debits) await stripe.checkout.sessions.retrieve(id, { expand: ["payment_intent.latest_charge"] });

  // A session that lapses on the clock.
  const lapsing = await stripe.checkout.sessions.create(sessionParams());
  emulator.advanceClock(25 * 60 * 60);
  await stripe.checkout.sessions.retrieve(lapsing.id);

  // A partial refund, then the rest.
  const partial = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
  await stripe.refunds.create({ charge: chargeId });
  await stripe.refunds.retrieve(partial.id);
  await stripe.charges.retrieve(chargeId);

  // Disputes, opened and closed through the control API as in Stripe's test mode.
  for (const status of ["won", "lost"] as const) {
    const disputed = await stripe.checkout.sessions.create(sessionParams());
    const disputedIntent = emulator.pay(disputed.id, "card_success").payment_intent ?? "";
    const charge = idOf((await stripe.paymentIntents.retrieve(disputedIntent)).latest_charge);
    const opened = await control(emulator, "POST", `/_emulator/charges/${charge}/dispute`, {});
    const disputeId = idOf(opened.body as { id: string });
    await stripe.disputes.retrieve(disputeId);
    await control(emulator, "POST", `/_emulator/disputes/${disputeId}/close`, { status });
    await stripe.disputes.retrieve(disputeId, { expand: ["charge"] });
  }

  // The catalogue and payment methods.
  const product = await stripe.products.create({ name: "Notebook", description: "A5, dotted" });
  const price = await stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 1250 });
  await stripe.products.retrieve(product.id);
  await stripe.prices.retrieve(price.id, { expand: ["product"] });
  const byPrice = await stripe.checkout.sessions.create(
    sessionParams({ line_items: [{ price: price.id, quantity: 1 }] }),
  );
  await stripe.checkout.sessions.listLineItems(byPrice.id);
  const card = await stripe.paymentMethods.create({ type: "card", card: { token: "tok_visa" } });
  const iban = await stripe.paymentMethods.create({
    type: "sepa_debit",
    sepa_debit: { iban: "DE89370400440532013000" },
    billing_details: { name: "Jenny Rosen", email: "jenny@example.com" },
  });
  await stripe.paymentMethods.retrieve(card.id);
  await stripe.paymentMethods.retrieve(iban.id);

  // The PaymentIntents API: confirmed, declined, processing, canceled, a dispute test card; listed.
  await stripe.paymentIntents.create({ amount: 900, currency: "usd", payment_method: "pm_card_visa", confirm: true });
  await refused(
    stripe.paymentIntents.create({
      amount: 900,
      currency: "usd",
      payment_method: "pm_card_chargeDeclined",
      confirm: true,
    }),
    402,
  );
  await stripe.paymentIntents.create({
    amount: 1500,
    currency: "eur",
    payment_method: iban.id,
    allowed_payment_method_types: ["sepa_debit"],
    confirm: true,
  });
  const open = await stripe.paymentIntents.create({ amount: 700, currency: "eur" });
  await stripe.paymentIntents.cancel(open.id);
  await stripe.paymentIntents.create({
    amount: 2000,
    currency: "usd",
    payment_method: "pm_card_createDispute",
    confirm: true,
  });
  await stripe.paymentIntents.list({ limit: 100 });
  await stripe.charges.list({ limit: 100 });

  // Customers, webhook endpoints and payment links: created, updated, listed, deleted.
  const customer = await stripe.customers.create({ email: "jenny@example.com", name: "Jenny Rosen" });
  await stripe.customers.update(customer.id, { phone: "+49 30 1234567", metadata: { tier: "gold" } });
  await stripe.customers.list({ limit: 100 });
  await stripe.customers.del(customer.id);
  const endpoint = await stripe.webhookEndpoints.create({
    url: "http://127.0.0.1:9/never-called",
    enabled_events: ["customer.created"],
  });
  await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
  await stripe.webhookEndpoints.list();
  await stripe.webhookEndpoints.del(endpoint.id);
  const link = await stripe.paymentLinks.create({ line_items: [{ price: price.id, quantity: 2 }] });
  await stripe.paymentLinks.update(link.id, { active: false });
  await stripe.paymentLinks.retrieve(link.id, { expand: ["line_items"] });
  await stripe.paymentLinks.list({ limit: 100 });
  // A link whose session completes: the session names it, the limit of one deactivates it.
  const limited = await stripe.paymentLinks.create({
    line_items: [{ price: price.id, quantity: 1 }],
    metadata: { campaign: "winter" },
    after_completion: { type: "redirect", redirect: { url: "http://127.0.0.1:3000/thanks?id={CHECKOUT_SESSION_ID}" } },
    payment_intent_data: { description: "Winter prints", metadata: { channel: "link" } },
    restrictions: { completed_sessions: { limit: 1 } },
  });
  const fromLink = emulator.openPaymentLink(limited.id);
  emulator.pay(fromLink.id, "card_success");
  await stripe.checkout.sessions.retrieve(fromLink.id, { expand: ["payment_link", "payment_intent"] });
  await stripe.checkout.sessions.list({ payment_link: limited.id });
  await stripe.paymentLinks.retrieve(limited.id);

  // Bank transfers: one funded in part and then in full, one overfunded, one canceled after a
  // part arrived; the customers' cash balances and their transactions.
  const transfers: string[] = [];
  for (const amounts of [[1000, 2000], [4500], [500]]) {
    const offered = await stripe.checkout.sessions.create(
      sessionParams({
        allowed_payment_method_types: ["card", "customer_balance"],
        payment_method_options: {
          customer_balance: {
            funding_type: "bank_transfer",
            bank_transfer: { type: "eu_bank_transfer", eu_bank_transfer: { country: "FR" } },
          },
        },
      }),
    );
    const waiting = await stripe.paymentIntents.retrieve(
      emulator.pay(offered.id, "bank_transfer").payment_intent ?? "",
    );
    const reference = waiting.next_action?.display_bank_transfer_instructions?.reference ?? undefined;
    const customerId = idOf(waiting.customer);
    for (const amount of amounts) {
      await stripe.testHelpers.customers.fundCashBalance(customerId, { amount, currency: "eur", reference });
      await stripe.paymentIntents.retrieve(waiting.id);
    }
    if (amounts[0] === 500) await stripe.paymentIntents.cancel(waiting.id);
    await stripe.checkout.sessions.retrieve(offered.id, { expand: ["payment_intent.latest_charge"] });
    await stripe.customers.retrieveCashBalance(customerId);
    transfers.push(customerId);
  }
  for (const customerId of transfers) await stripe.customers.listCashBalanceTransactions(customerId, { limit: 100 });
  const dollars = await stripe.checkout.sessions.create(
    sessionParams({
      line_items: [{ price_data: { currency: "usd", unit_amount: 4000, product_data: { name: "Lamp" } }, quantity: 1 }],
      allowed_payment_method_types: ["customer_balance"],
      payment_method_options: {
        customer_balance: { funding_type: "bank_transfer", bank_transfer: { type: "us_bank_transfer" } },
      },
    }),
  );
  await stripe.paymentIntents.retrieve(emulator.pay(dollars.id, "bank_transfer").payment_intent ?? "");

  // Lists, every page of them.
  const events = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
  await stripe.events.retrieve(events[0]?.id ?? "");
  await stripe.checkout.sessions.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
  await stripe.refunds.list({ limit: 100 });
  await stripe.disputes.list({ limit: 100 });

  // Errors: an unknown parameter, a missing resource, a refused refund, a declined card (402).
  await refused(stripe.rawRequest("POST", "/v1/checkout/sessions", { ...sessionParams(), colour: "red" }), 400);
  await refused(stripe.checkout.sessions.retrieve("cs_test_missing"), 404);
  await refused(stripe.refunds.create({ payment_intent: intent.id, amount: 1 }), 400);
  const unpaid = await stripe.checkout.sessions.create(sessionParams());
  const declinedCard = await stripe.paymentMethods.create({ type: "card", card: { token: "tok_chargeDeclined" } });
  await refused(
    stripe.rawRequest("POST", `/v1/payment_pages/${unpaid.id}/confirm`, { payment_method: declinedCard.id }),
    402,
  );
}

/** Every body the SDK received and every event the receiver was sent. */
function everyValue(): unknown[] {
  return [...responses.map((r) => r.body), ...h.receiver.deliveries.map((d): unknown => JSON.parse(d.body))];
}

function keyOf(finding: Finding): string {
  return finding.kind === "extra" ? `extra ${finding.at}` : `violation ${finding.at}: ${finding.message}`;
}

/** The `object` of every Stripe object inside a value, nested ones too. */
function objectTypes(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) objectTypes(item, into);
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.object === "string")
      into.add(record.deleted === true ? `deleted_${record.object}` : record.object);
    else if ("error" in record) into.add("error");
    for (const field of Object.values(record)) objectTypes(field, into);
  }
  return into;
}

describe("conformance to Stripe's OpenAPI spec", () => {
  it("is checked against the spec of API version 2023-08-16", () => {
    expect(spec.source).toMatchObject({ repository: "github.com/stripe/openapi", apiVersion: "2023-08-16" });
    expect(spec.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("checks every object type the flows produce, and every value has a schema", () => {
    const values = everyValue();
    const types = new Set<string>();
    for (const value of values) objectTypes(value, types);
    const served = spec.roots.filter((root) => !NOT_SERVED_YET.includes(root));
    expect([...types]).toEqual(expect.arrayContaining([...served, "list"]));
    expect(NOT_SERVED_YET.filter((type) => types.has(type))).toEqual([]);
    expect(values.map((value) => schemaFor(spec, value)).filter((target) => "unknown" in target)).toEqual([]);
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.deliveries.length).toBeGreaterThan(40);
  });

  it("finds no difference from the spec outside the allowlist, and needs every entry of it", () => {
    const fields = new Set<string>();
    const found = new Map<string, Finding>();
    for (const value of everyValue()) {
      for (const finding of checkAgainstSpec(spec, value, fields)) {
        if (!found.has(keyOf(finding))) found.set(keyOf(finding), finding);
      }
    }
    const allowed = new Set(ALLOWED.map((entry) => entry.finding));
    const unexpected = [...found.values()].filter((f) => !allowed.has(keyOf(f))).map((f) => `${keyOf(f)} (${f.path})`);
    const unneeded = ALLOWED.filter((entry) => !found.has(entry.finding)).map((entry) => entry.finding);
    expect({ unexpected, unneeded }).toEqual({ unexpected: [], unneeded: [] });
    expect(fields.size).toBeGreaterThan(250);
  });

  it("has each allowed difference written in the SDK's types", () => {
    const wrong = ALLOWED.filter((entry) => {
      const text = readFileSync(path.join(SDK_TYPES, entry.sdk.file), "utf8");
      return "declares" in entry.sdk ? !text.includes(entry.sdk.declares) : text.includes(entry.sdk.lacks);
    });
    expect(wrong.map((entry) => entry.finding)).toEqual([]);
    expect(new Set(ALLOWED.map((entry) => entry.finding)).size).toBe(ALLOWED.length);
  });
});
