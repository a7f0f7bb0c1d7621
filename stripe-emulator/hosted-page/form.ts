/** Server-side validation of the hosted page form, the way Checkout validates fields before paying. */
import { z } from "zod";
import type { FieldName, FormValues } from "./render";
import type { CheckoutSession } from "../domain/model/checkout";
import type { PaymentMethodInput } from "../domain/payment-methods";
import type { Payer } from "../domain/payments";
import { cardBrand, ibanValid, luhnValid, normalizeDigits, normalizeIban } from "../domain/test-instruments";

const text = z.string().max(200).optional();

export const formSchema = z.object({
  method: text,
  email: text,
  card_number: text,
  card_expiry: text,
  card_cvc: text,
  card_name: text,
  iban: text,
  iban_name: text,
});

export type Validation =
  { ok: true; input: PaymentMethodInput; payer: Payer } | { ok: false; errors: Partial<Record<FieldName, string>> };

export function validateForm(values: FormValues, session: CheckoutSession, nowSeconds: number): Validation {
  const errors: Partial<Record<FieldName, string>> = {};
  const email = (values.email ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = "Your email address is invalid.";
  const method = session.payment_method_types.find((m) => m === values.method) ?? session.payment_method_types[0];
  if (method === "customer_balance") return done(errors, { type: "customer_balance" }, { email, name: null });
  if (method === "sepa_debit") {
    const iban = normalizeIban(values.iban ?? "");
    const name = (values.iban_name ?? "").trim();
    if (!ibanValid(iban)) errors.iban = "Your IBAN is invalid.";
    if (name === "") errors.iban_name = "Enter the account holder's name.";
    return done(errors, { type: "sepa_debit", iban }, { email, name });
  }
  const number = normalizeDigits(values.card_number ?? "");
  const name = (values.card_name ?? "").trim();
  if (!luhnValid(number)) errors.card_number = "Your card number is invalid.";
  const expiry = parseExpiry(values.card_expiry ?? "");
  const now = new Date(nowSeconds * 1000);
  if (!expiry) {
    errors.card_expiry = "Your card's expiration date is incomplete.";
  } else if (expiry.year * 12 + expiry.month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
    errors.card_expiry = "Your card's expiration date is in the past.";
  }
  const cvcLength = cardBrand(number) === "amex" ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test((values.card_cvc ?? "").trim())) {
    errors.card_cvc = "Your card's security code is incomplete.";
  }
  if (name === "") errors.card_name = "Enter the name on your card.";
  const input: PaymentMethodInput = { type: "card", number, expMonth: expiry?.month ?? 1, expYear: expiry?.year ?? 0 };
  return done(errors, input, { email, name });
}

function done(errors: Partial<Record<FieldName, string>>, input: PaymentMethodInput, payer: Payer): Validation {
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input, payer };
}

/** Accepts "MM / YY", "MM/YY", "MMYY" and "MM/YYYY". */
export function parseExpiry(raw: string): { month: number; year: number } | null {
  const match = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec(raw.trim());
  if (!match) return null;
  const month = Number(match[1]);
  const year = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return { month, year: year < 100 ? 2000 + year : year };
}
