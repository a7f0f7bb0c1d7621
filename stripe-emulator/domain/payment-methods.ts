import type { Core } from "./core";
import { newId } from "./ids";
import type { PaymentMethodRecord } from "./model/catalog";
import type { BillingDetails } from "./model/common";
import { cardBehavior, cardBrand, ibanBehavior } from "./test-instruments";

export type PaymentMethodInput =
  { type: "card"; number: string; expMonth: number; expYear: number } | { type: "sepa_debit"; iban: string };

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
    livemode: false as const,
    metadata,
  };
  const record: PaymentMethodRecord =
    input.type === "card"
      ? {
          paymentMethod: {
            ...base,
            type: "card",
            card: {
              brand: cardBrand(input.number),
              country: "US",
              exp_month: input.expMonth,
              exp_year: input.expYear,
              funding: "credit",
              last4: input.number.slice(-4),
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
              country: input.iban.slice(0, 2),
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
  return { address: null, email, name, phone: null };
}
