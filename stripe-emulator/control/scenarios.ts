/**
 * Named payment scenarios for the control API. Each maps to a test card or IBAN so that it
 * runs exactly the code path a customer on the hosted page would.
 */
import { z } from "zod";
import type { PaymentMethodInput } from "../domain/payment-methods";

export const scenarioSchema = z.enum([
  "card_success",
  "card_decline",
  "card_insufficient_funds",
  "async_success",
  "async_failure",
  "bank_transfer",
]);
export type Scenario = z.infer<typeof scenarioSchema>;

export function scenarioInput(scenario: Scenario, nowSeconds: number): PaymentMethodInput {
  const expYear = new Date(nowSeconds * 1000).getUTCFullYear() + 3;
  const card = (number: string): PaymentMethodInput => ({ type: "card", number, expMonth: 12, expYear });
  switch (scenario) {
    case "card_success":
      return card("4242424242424242");
    case "card_decline":
      return card("4000000000000002");
    case "card_insufficient_funds":
      return card("4000000000009995");
    case "async_success":
      return { type: "sepa_debit", iban: "DE89370400440532013000" };
    case "async_failure":
      return { type: "sepa_debit", iban: "DE62370400440532013001" };
    case "bank_transfer":
      return { type: "customer_balance" };
  }
}
