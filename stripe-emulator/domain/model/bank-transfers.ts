/**
 * Bank transfers (Stripe's `customer_balance` payment method with `funding_type: bank_transfer`):
 * the options a session and its PaymentIntent carry, the instructions the shopper is shown, and
 * the customer's cash balance the transfers arrive in.
 */
import { z } from "zod";
import { addressSchema, amount, timestamp } from "./common";

/** The SEPA countries Stripe opens virtual IBANs in. */
export const EU_TRANSFER_COUNTRIES = ["BE", "DE", "ES", "FR", "IE", "NL"] as const;
export const euTransferCountrySchema = z.enum(EU_TRANSFER_COUNTRIES);

export const bankTransferTypeSchema = z.enum(["eu_bank_transfer", "us_bank_transfer"]);
export type BankTransferType = z.infer<typeof bankTransferTypeSchema>;

export const addressTypeSchema = z.enum(["iban", "aba", "swift"]);
export type AddressType = z.infer<typeof addressTypeSchema>;

/** `payment_method_options.customer_balance` as sessions and PaymentIntents return it. */
export const customerBalanceOptionsSchema = z.object({
  bank_transfer: z.object({
    eu_bank_transfer: z.object({ country: euTransferCountrySchema }).optional(),
    requested_address_types: z.array(addressTypeSchema),
    type: bankTransferTypeSchema,
  }),
  funding_type: z.literal("bank_transfer"),
});
export type CustomerBalanceOptions = z.infer<typeof customerBalanceOptionsSchema>;

const holderAndBank = {
  account_holder_address: addressSchema,
  account_holder_name: z.string(),
  bank_address: addressSchema,
};

export const financialAddressSchema = z.object({
  aba: z
    .object({
      ...holderAndBank,
      account_number: z.string(),
      account_type: z.string(),
      bank_name: z.string(),
      routing_number: z.string(),
    })
    .optional(),
  iban: z.object({ ...holderAndBank, bic: z.string(), country: z.string(), iban: z.string() }).optional(),
  swift: z
    .object({
      ...holderAndBank,
      account_number: z.string(),
      account_type: z.string(),
      bank_name: z.string(),
      swift_code: z.string(),
    })
    .optional(),
  supported_networks: z.array(z.enum(["ach", "domestic_wire_us", "sepa", "swift"])),
  type: addressTypeSchema,
});
export type FinancialAddress = z.infer<typeof financialAddressSchema>;

/** `next_action` of a PaymentIntent waiting for the shopper's transfer. */
export const bankTransferNextActionSchema = z.object({
  display_bank_transfer_instructions: z.object({
    amount_remaining: amount,
    currency: z.string(),
    financial_addresses: z.array(financialAddressSchema),
    hosted_instructions_url: z.string(),
    reference: z.string(),
    type: bankTransferTypeSchema,
  }),
  type: z.literal("display_bank_transfer_instructions"),
});
export type BankTransferNextAction = z.infer<typeof bankTransferNextActionSchema>;

const fundedSchema = z.object({
  bank_transfer: z.object({
    eu_bank_transfer: z
      .object({ bic: z.string().nullable(), iban_last4: z.string().nullable(), sender_name: z.string().nullable() })
      .optional(),
    reference: z.string().nullable(),
    type: bankTransferTypeSchema,
    us_bank_transfer: z.object({ network: z.literal("ach"), sender_name: z.string().nullable() }).optional(),
  }),
});

/** A movement of a customer's cash balance; exactly one of the type-named fields is set. */
export const cashBalanceTransactionSchema = z.object({
  id: z.string(),
  object: z.literal("customer_cash_balance_transaction"),
  applied_to_payment: z.object({ payment_intent: z.string() }).optional(),
  created: timestamp,
  currency: z.string(),
  customer: z.string(),
  customer_account: z.null(),
  ending_balance: amount,
  funded: fundedSchema.optional(),
  livemode: z.literal(false),
  net_amount: amount,
  type: z.enum(["funded", "applied_to_payment", "unapplied_from_payment"]),
  unapplied_from_payment: z.object({ payment_intent: z.string() }).optional(),
});
export type CashBalanceTransaction = z.infer<typeof cashBalanceTransactionSchema>;

/** What the emulator keeps per customer: the available amount per currency, once any arrived. */
export const cashBalanceRecordSchema = z.object({
  customer: z.string(),
  available: z.record(z.string(), amount),
});
export type CashBalanceRecord = z.infer<typeof cashBalanceRecordSchema>;

/** The `cash_balance` object: automatic reconciliation, the account's default, as Stripe starts it. */
export const cashBalanceSchema = z.object({
  object: z.literal("cash_balance"),
  available: z.record(z.string(), amount).nullable(),
  customer: z.string(),
  customer_account: z.null(),
  livemode: z.literal(false),
  settings: z.object({ reconciliation_mode: z.literal("automatic"), using_merchant_default: z.literal(true) }),
});
export type CashBalance = z.infer<typeof cashBalanceSchema>;
