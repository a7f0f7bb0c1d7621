import type { Core } from "./core";
import { newId } from "./ids";
import type { PaymentMethodRecord } from "./model/catalog";
import type { Charge, PaymentIntent } from "./model/payments";

/**
 * Card charges succeed or fail at once (a declined card leaves a failed charge, as on Stripe);
 * bank debits start pending and settle later.
 */
export function createCharge(
  core: Core,
  intent: PaymentIntent,
  method: PaymentMethodRecord,
  status: "succeeded" | "pending" | "failed",
  failure: { code: string; message: string } | null = null,
): Charge {
  const captured = status !== "failed";
  const pm = method.paymentMethod;
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
      ...(pm.card ? { card: pm.card } : {}),
      ...(pm.sepa_debit ? { sepa_debit: pm.sepa_debit } : {}),
    },
    receipt_email: intent.receipt_email,
    refunded: false,
    status,
  };
  core.store.charges.set(charge.id, charge);
  intent.latest_charge = charge.id;
  return charge;
}
