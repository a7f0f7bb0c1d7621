import type { Core } from "./core";
import { newId } from "./ids";
import type { PaymentMethodRecord } from "./model/catalog";
import type { Charge, ChargeOutcome, PaymentIntent } from "./model/payments";

export function markSucceeded(intent: PaymentIntent): void {
  intent.status = "succeeded";
  intent.amount_received = intent.amount;
  intent.last_payment_error = null;
}

/**
 * Card charges succeed or fail at once (a declined card leaves a failed charge, as on Stripe);
 * bank debits start pending and settle later.
 */
export function createCharge(
  core: Core,
  intent: PaymentIntent,
  method: PaymentMethodRecord,
  status: "succeeded" | "pending" | "failed",
  failure: { code: string; message: string; declineCode?: string | undefined } | null = null,
): Charge {
  const pm = method.paymentMethod;
  const captured = status !== "failed";
  const card = pm.card;
  const charge: Charge = {
    id: newId("ch"),
    object: "charge",
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    balance_transaction: null,
    billing_details: pm.billing_details,
    captured,
    created: core.clock.now(),
    currency: intent.currency,
    description: intent.description,
    disputed: false,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    livemode: false,
    metadata: { ...intent.metadata },
    paid: status === "succeeded",
    payment_intent: intent.id,
    payment_method: pm.id,
    payment_method_details: {
      type: pm.type,
      ...(card
        ? {
            card: {
              amount_authorized: captured ? intent.amount : null,
              authorization_code: null,
              brand: card.brand,
              checks: card.checks,
              country: card.country,
              electronic_commerce_indicator: null,
              exp_month: card.exp_month,
              exp_year: card.exp_year,
              funding: card.funding,
              installments: null,
              last4: card.last4,
              mandate: null,
              network: card.brand,
              network_transaction_id: null,
              regulated_status: card.regulated_status,
              three_d_secure: null,
              transaction_link_id: null,
              wallet: null,
            },
          }
        : {}),
      ...(pm.sepa_debit
        ? {
            sepa_debit: {
              bank_code: pm.sepa_debit.bank_code,
              branch_code: null,
              country: pm.sepa_debit.country,
              fingerprint: pm.sepa_debit.fingerprint,
              last4: pm.sepa_debit.last4,
              mandate: null,
            },
          }
        : {}),
      ...(pm.type === "customer_balance" ? { customer_balance: {} } : {}),
    },
    receipt_email: intent.receipt_email,
    refunded: false,
    status,
    outcome: chargeOutcome(status === "failed" ? (failure?.declineCode ?? failure?.code ?? null) : undefined, !card),
    application: null,
    application_fee: null,
    application_fee_amount: null,
    calculated_statement_descriptor: null,
    customer: intent.customer,
    failure_balance_transaction: null,
    fraud_details: {},
    on_behalf_of: null,
    receipt_number: null,
    receipt_url: null,
    review: null,
    shipping: intent.shipping,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_data: null,
    transfer_group: null,
  };
  core.store.charges.set(charge.id, charge);
  intent.latest_charge = charge.id;
  return charge;
}

/**
 * The network's answer as Stripe reports it: approved, or declined by the issuer with the
 * decline code as its reason (`declined` undefined means approved). Bank debits are not risk-scored.
 */
export function chargeOutcome(declined: string | null | undefined, bankDebit: boolean): ChargeOutcome {
  const risk_level = bankDebit ? "not_assessed" : "normal";
  if (declined === undefined)
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level,
      seller_message: "Payment complete.",
      type: "authorized",
    };
  return {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: "declined_by_network",
    reason: declined,
    risk_level,
    seller_message: declined
      ? `The bank returned the decline code \`${declined}\`.`
      : "The bank did not return any further details with this decline.",
    type: "issuer_declined",
  };
}
