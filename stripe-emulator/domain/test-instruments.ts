/**
 * Stripe's documented test cards and IBANs, and the outcome each one produces here. Numbers
 * outside these tables behave like a live card used in test mode: declined.
 */
import type { Behavior } from "./model/catalog";

export interface TestCard {
  number: string;
  brand: string;
  label: string;
  behavior: Behavior;
}

const declined = (declineCode: string, message: string): Behavior => ({
  outcome: "decline",
  code: "card_declined",
  declineCode,
  message,
});

export const TEST_CARDS: readonly TestCard[] = [
  { number: "4242424242424242", brand: "visa", label: "Succeeds", behavior: { outcome: "succeed" } },
  { number: "5555555555554444", brand: "mastercard", label: "Succeeds", behavior: { outcome: "succeed" } },
  { number: "378282246310005", brand: "amex", label: "Succeeds", behavior: { outcome: "succeed" } },
  {
    number: "4000000000000259",
    brand: "visa",
    label: "Succeeds, then disputed as fraudulent",
    behavior: { outcome: "succeed", dispute: { reason: "fraudulent", inquiry: false } },
  },
  {
    number: "4000000000002685",
    brand: "visa",
    label: "Succeeds, then disputed as product not received",
    behavior: { outcome: "succeed", dispute: { reason: "product_not_received", inquiry: false } },
  },
  {
    number: "4000000000001976",
    brand: "visa",
    label: "Succeeds, then an inquiry is opened",
    behavior: { outcome: "succeed", dispute: { reason: "fraudulent", inquiry: true } },
  },
  {
    number: "4000000000000002",
    brand: "visa",
    label: "Declined (generic_decline)",
    behavior: declined("generic_decline", "Your card was declined."),
  },
  {
    number: "4000000000009995",
    brand: "visa",
    label: "Declined (insufficient_funds)",
    behavior: declined("insufficient_funds", "Your card has insufficient funds."),
  },
  {
    number: "4000000000009987",
    brand: "visa",
    label: "Declined (lost_card)",
    behavior: declined("lost_card", "Your card was declined."),
  },
  {
    number: "4000000000000069",
    brand: "visa",
    label: "Declined (expired_card)",
    behavior: { outcome: "decline", code: "expired_card", declineCode: null, message: "Your card has expired." },
  },
];

const LIVE_CARD_IN_TEST_MODE = declined(
  "test_mode_live_card",
  "Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
);

/** Tokens the Stripe CLI fixtures send instead of raw card numbers. */
export const CARD_TOKENS: Readonly<Record<string, string>> = {
  tok_visa: "4242424242424242",
  tok_mastercard: "5555555555554444",
  tok_amex: "378282246310005",
  tok_chargeDeclined: "4000000000000002",
  tok_chargeDeclinedInsufficientFunds: "4000000000009995",
  tok_chargeDeclinedLostCard: "4000000000009987",
  tok_chargeDeclinedExpiredCard: "4000000000000069",
  tok_createDispute: "4000000000000259",
  tok_createDisputeProductNotReceived: "4000000000002685",
  tok_createDisputeInquiry: "4000000000001976",
};

/**
 * The card number behind a test PaymentMethod id such as `pm_card_visa` or
 * `pm_card_chargeDeclined`: Stripe names each after its token (`tok_visa`, `tok_chargeDeclined`).
 */
export function testPaymentMethodCard(id: string): string | undefined {
  return id.startsWith("pm_card_") ? CARD_TOKENS[`tok_${id.slice("pm_card_".length)}`] : undefined;
}

export interface TestIban {
  iban: string;
  label: string;
  outcome: "async_succeed" | "async_fail";
}

export const TEST_IBANS: readonly TestIban[] = [
  { iban: "DE89370400440532013000", label: "Succeeds after the delay", outcome: "async_succeed" },
  { iban: "DE62370400440532013001", label: "Fails after the delay", outcome: "async_fail" },
  { iban: "AT611904300234573201", label: "Succeeds after the delay", outcome: "async_succeed" },
  { iban: "AT861904300235473202", label: "Fails after the delay", outcome: "async_fail" },
  { iban: "IT60X0542811101000000123456", label: "Fails after the delay", outcome: "async_fail" },
];

export function normalizeDigits(value: string): string {
  return value.replace(/[\s-]/g, "");
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (const [i, char] of [...number].reverse().entries()) {
    let digit = Number(char);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function cardBrand(number: string): string {
  const known = TEST_CARDS.find((c) => c.number === number);
  if (known) return known.brand;
  if (number.startsWith("4")) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(number)) return "mastercard";
  if (/^3[47]/.test(number)) return "amex";
  return "unknown";
}

export function cardBehavior(number: string): Behavior {
  return TEST_CARDS.find((c) => c.number === number)?.behavior ?? LIVE_CARD_IN_TEST_MODE;
}

export function normalizeIban(value: string): string {
  return value.replace(/\s/g, "").toUpperCase();
}

/** ISO 13616 check: move the first four characters to the end, map letters to numbers, mod 97. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** The two check digits of an IBAN for `country` and its national account number (`bban`). */
export function ibanChecksum(country: string, bban: string): string {
  return String(98 - mod97(`${bban}${country}00`)).padStart(2, "0");
}

/** Letters count as 10 (A) to 35 (Z), as ISO 13616 reads them. */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

export function ibanBehavior(iban: string): Behavior {
  return { outcome: TEST_IBANS.find((t) => t.iban === iban)?.outcome ?? "async_succeed" };
}
