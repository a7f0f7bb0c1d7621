import { invalidRequest } from "../errors";
import { BANK_TRANSFER_CURRENCIES } from "./bank-transfer-options";
import type { PaymentMethodType } from "../../domain/model/common";

/**
 * The payment methods the emulator can simulate; SEPA Direct Debit exists only in euros, and
 * bank transfers (Checkout only) in euros and dollars, when the session configures them.
 */
function eligibleFor(currency: string, bankTransfer: boolean): PaymentMethodType[] {
  const types: PaymentMethodType[] = currency === "eur" ? ["card", "sepa_debit"] : ["card"];
  return bankTransfer && BANK_TRANSFER_CURRENCIES.includes(currency) ? [...types, "customer_balance"] : types;
}

/**
 * `payment_method_types` (older API versions, still sent by the Stripe CLI) is an explicit list
 * and must be valid; `allowed_payment_method_types` and `excluded_payment_method_types` (this
 * API version) filter the dynamically eligible set, so unknown entries simply match nothing.
 */
export function resolveMethodTypes(
  currency: string,
  params: {
    payment_method_types?: PaymentMethodType[] | undefined;
    allowed_payment_method_types?: string[] | undefined;
    excluded_payment_method_types?: string[] | undefined;
  },
  bankTransfer = false,
): PaymentMethodType[] {
  const eligible = eligibleFor(currency, bankTransfer);
  if (params.payment_method_types !== undefined) {
    if (params.allowed_payment_method_types !== undefined) {
      throw invalidRequest(
        "You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.",
        { param: "payment_method_types" },
      );
    }
    const explicit = [...new Set(params.payment_method_types)];
    const unsupported = explicit.find((t) => !eligible.includes(t));
    if (unsupported) {
      throw invalidRequest(`The payment method type '${unsupported}' cannot be used with currency '${currency}'.`, {
        param: "payment_method_types",
      });
    }
    return explicit;
  }
  const allowed = params.allowed_payment_method_types;
  const excluded = params.excluded_payment_method_types ?? [];
  const types = eligible.filter((t) => (allowed === undefined || allowed.includes(t)) && !excluded.includes(t));
  if (types.length === 0) {
    throw invalidRequest(
      `None of the requested payment method types can be used with currency '${currency}' (the emulator supports card, and sepa_debit for eur).`,
      { param: allowed === undefined ? "excluded_payment_method_types" : "allowed_payment_method_types" },
    );
  }
  return types;
}
