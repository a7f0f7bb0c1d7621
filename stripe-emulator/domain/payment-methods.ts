import { createHash } from "node:crypto";
import type { Core } from "./core";
import { newId } from "./ids";
import type { PaymentMethodRecord } from "./model/catalog";
import type { BillingDetails } from "./model/common";
import { cardBehavior, cardBrand, ibanBehavior, testPaymentMethodCard } from "./test-instruments";

export type PaymentMethodInput =
  | { type: "card"; number: string; expMonth: number; expYear: number }
  | { type: "sepa_debit"; iban: string }
  | { type: "customer_balance" };

/** Hosted page, control API and CLI fixtures all pay through a stored payment method. */
export function createPaymentMethod(
  core: Core,
  input: PaymentMethodInput,
  billing: BillingDetails,
  metadata: Record<string, string> = {},
): PaymentMethodRecord {
  const base = {
    id: newId("pm"),
    object: "payment_method" as const,
    billing_details: billing,
    created: core.clock.now(),
    customer: null,
    customer_account: null,
    livemode: false as const,
    metadata,
  };
  const record: PaymentMethodRecord =
    input.type === "customer_balance"
      ? {
          paymentMethod: { ...base, type: "customer_balance", customer_balance: {} },
          behavior: { outcome: "bank_transfer" },
        }
      : input.type === "card"
        ? {
            paymentMethod: {
              ...base,
              type: "card",
              card: {
                brand: cardBrand(input.number),
                checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
                country: "US",
                display_brand: cardBrand(input.number),
                exp_month: input.expMonth,
                exp_year: input.expYear,
                funding: "credit",
                generated_from: null,
                last4: input.number.slice(-4),
                networks: { available: [cardBrand(input.number)], preferred: null },
                regulated_status: "unregulated",
                three_d_secure_usage: { supported: true },
                wallet: null,
              },
            },
            behavior: cardBehavior(input.number),
          }
        : {
            paymentMethod: {
              ...base,
              type: "sepa_debit",
              sepa_debit: {
                bank_code: input.iban.slice(4, 12),
                branch_code: null,
                country: input.iban.slice(0, 2),
                fingerprint: createHash("sha256").update(input.iban).digest("base64url").slice(0, 16),
                generated_from: null,
                last4: input.iban.slice(-4),
              },
            },
            behavior: ibanBehavior(input.iban),
          };
  core.store.paymentMethods.set(record.paymentMethod.id, record);
  core.changed();
  return record;
}

export function emptyBilling(email: string | null, name: string | null): BillingDetails {
  return { address: null, email, name, phone: null, tax_id: null };
}

/**
 * A stored payment method, or a new one for a test id such as `pm_card_visa`: Stripe creates a
 * fresh PaymentMethod from the test card each time one is used.
 */
export function findPaymentMethod(core: Core, id: string): PaymentMethodRecord | undefined {
  const stored = core.store.paymentMethods.get(id);
  if (stored) return stored;
  const number = testPaymentMethodCard(id);
  if (number === undefined) return undefined;
  const expYear = new Date(core.clock.nowMs()).getUTCFullYear() + 3;
  return createPaymentMethod(core, { type: "card", number, expMonth: 12, expYear }, emptyBilling(null, null));
}
