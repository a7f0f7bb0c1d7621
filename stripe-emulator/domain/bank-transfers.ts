/**
 * Bank transfers: a PaymentIntent waits with instructions until the shopper's transfer reaches
 * the customer's cash balance, which Stripe then applies to it (automatic reconciliation).
 */
import { createHash } from "node:crypto";
import { invalidRequest, resourceMissing } from "../api/errors";
import { createCharge, markSucceeded } from "./charges";
import type { RequestMeta } from "./context";
import type { Core } from "./core";
import { requireCustomer } from "./customers";
import { emitEvent } from "./events";
import { newId } from "./ids";
import type { CashBalance, CashBalanceTransaction, CustomerBalanceOptions } from "./model/bank-transfers";
import type { PaymentIntent } from "./model/payments";
import { presentSession } from "./present";
import { financialAddresses } from "./virtual-accounts";

const REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** The code the shopper writes in the transfer's reference field; fixed for each PaymentIntent. */
export function referenceFor(paymentIntentId: string): string {
  const hash = createHash("sha256").update(paymentIntentId).digest();
  return [...hash.subarray(0, 12)].map((byte) => REFERENCE_ALPHABET.charAt(byte % 32)).join("");
}

/** Puts the intent in `requires_action` with the instructions, and sends `payment_intent.requires_action`. */
export function startBankTransfer(
  core: Core,
  intent: PaymentIntent,
  customerId: string,
  options: CustomerBalanceOptions,
  meta: RequestMeta,
): void {
  const { bank_transfer: transfer } = options;
  intent.customer = customerId;
  intent.payment_method_options = { ...intent.payment_method_options, customer_balance: options };
  intent.status = "requires_action";
  intent.last_payment_error = null;
  intent.next_action = {
    display_bank_transfer_instructions: {
      amount_remaining: intent.amount,
      currency: intent.currency,
      financial_addresses: financialAddresses(
        customerId,
        transfer.type,
        transfer.eu_bank_transfer?.country ?? null,
        transfer.requested_address_types,
      ),
      hosted_instructions_url: core.bankTransferInstructionsUrl(intent.id),
      reference: referenceFor(intent.id),
      type: transfer.type,
    },
    type: "display_bank_transfer_instructions",
  };
  emitEvent(core, "payment_intent.requires_action", intent, meta);
}

export function cashBalanceOf(core: Core, customerId: string): CashBalance {
  const record = core.store.cashBalances.get(customerId);
  return {
    object: "cash_balance",
    available: record ? { ...record.available } : null,
    customer: customerId,
    customer_account: null,
    livemode: false,
    settings: { reconciliation_mode: "automatic", using_merchant_default: true },
  };
}

export interface Funding {
  amount: number;
  currency: string;
  reference: string | null;
}

/** The currencies the emulator opens virtual accounts in, with their transfer type. */
const TRANSFER_TYPES: Record<string, "eu_bank_transfer" | "us_bank_transfer"> = {
  eur: "eu_bank_transfer",
  usd: "us_bank_transfer",
};

/**
 * A transfer reaching the customer's cash balance (`funded`), applied to their waiting
 * PaymentIntents in that currency: the one whose reference it carries first, then the oldest.
 * What no intent needs stays on the balance and is announced with `cash_balance.funds_available`.
 */
export function fundCashBalance(core: Core, customerId: string, funding: Funding, meta: RequestMeta) {
  const customer = requireCustomer(core, customerId);
  const type = TRANSFER_TYPES[funding.currency];
  if (!type) {
    throw invalidRequest(
      `Bank transfers in ${funding.currency} are not supported; the emulator funds cash balances in eur and usd.`,
      { param: "currency" },
    );
  }
  const funded = record(
    core,
    customer.id,
    funding.currency,
    funding.amount,
    {
      type: "funded",
      funded: {
        bank_transfer: {
          ...(type === "eu_bank_transfer"
            ? { eu_bank_transfer: { bic: null, iban_last4: null, sender_name: customer.name } }
            : { us_bank_transfer: { network: "ach" as const, sender_name: customer.name } }),
          reference: funding.reference,
          type,
        },
      },
    },
    meta,
  );
  const waiting = [...core.store.paymentIntents.values()].filter(
    (pi) => pi.customer === customer.id && pi.status === "requires_action" && pi.currency === funding.currency,
  );
  const matching = waiting.filter(
    (pi) => pi.next_action?.display_bank_transfer_instructions.reference === funding.reference,
  );
  for (const intent of [...matching, ...waiting.filter((pi) => !matching.includes(pi))]) {
    const available = availableOf(core, customer.id, funding.currency);
    const remaining = intent.next_action?.display_bank_transfer_instructions.amount_remaining ?? 0;
    if (available <= 0) break;
    applyToIntent(core, intent, Math.min(available, remaining), meta);
  }
  if (availableOf(core, customer.id, funding.currency) > 0) {
    emitEvent(core, "cash_balance.funds_available", cashBalanceOf(core, customer.id), meta);
  }
  return funded;
}

/** Funds a transfer by the reference the shopper was shown: the customer of that PaymentIntent. */
export function fundByReference(core: Core, reference: string, amount: number, meta: RequestMeta) {
  const intent = [...core.store.paymentIntents.values()].find(
    (pi) =>
      pi.customer !== null && pi.payment_method_types.includes("customer_balance") && referenceFor(pi.id) === reference,
  );
  if (!intent?.customer) throw resourceMissing("bank transfer reference", reference, "reference");
  return fundCashBalance(core, intent.customer, { amount, currency: intent.currency, reference }, meta);
}

/** What was already applied to a waiting bank transfer intent (0 for any other intent). */
export function appliedAmount(intent: PaymentIntent): number {
  const instructions = intent.next_action?.display_bank_transfer_instructions;
  return instructions ? intent.amount - instructions.amount_remaining : 0;
}

/** A canceled intent's applied funds go back to the customer's cash balance. */
export function returnAppliedFunds(core: Core, intent: PaymentIntent, applied: number, meta: RequestMeta): void {
  if (applied <= 0 || intent.customer === null) return;
  record(
    core,
    intent.customer,
    intent.currency,
    applied,
    { type: "unapplied_from_payment", unapplied_from_payment: { payment_intent: intent.id } },
    meta,
  );
}

function applyToIntent(core: Core, intent: PaymentIntent, amount: number, meta: RequestMeta): void {
  const instructions = intent.next_action?.display_bank_transfer_instructions;
  if (!instructions || intent.customer === null || amount <= 0) return;
  record(
    core,
    intent.customer,
    intent.currency,
    -amount,
    { type: "applied_to_payment", applied_to_payment: { payment_intent: intent.id } },
    meta,
  );
  instructions.amount_remaining -= amount;
  if (instructions.amount_remaining > 0) {
    emitEvent(core, "payment_intent.partially_funded", intent, meta);
    return;
  }
  const method = intent.payment_method ? core.store.paymentMethods.get(intent.payment_method) : undefined;
  intent.next_action = null;
  markSucceeded(intent);
  const charge = method ? createCharge(core, intent, method, "succeeded") : null;
  emitEvent(core, "payment_intent.succeeded", intent, meta);
  if (charge) emitEvent(core, "charge.succeeded", charge, meta);
  for (const { session } of core.store.sessions.values()) {
    if (session.payment_intent !== intent.id) continue;
    session.payment_status = "paid";
    emitEvent(core, "checkout.session.async_payment_succeeded", presentSession(core, session), meta);
  }
}

function availableOf(core: Core, customerId: string, currency: string): number {
  return core.store.cashBalances.get(customerId)?.available[currency] ?? 0;
}

type Movement = Pick<CashBalanceTransaction, "type" | "funded" | "applied_to_payment" | "unapplied_from_payment">;

/** Moves the balance by `net` and records it, with `customer_cash_balance_transaction.created`. */
function record(
  core: Core,
  customerId: string,
  currency: string,
  net: number,
  movement: Movement,
  meta: RequestMeta,
): CashBalanceTransaction {
  const balance = core.store.cashBalances.get(customerId) ?? { customer: customerId, available: {} };
  const ending = (balance.available[currency] ?? 0) + net;
  balance.available[currency] = ending;
  core.store.cashBalances.set(customerId, balance);
  const transaction: CashBalanceTransaction = {
    id: newId("ccsbtxn"),
    object: "customer_cash_balance_transaction",
    ...movement,
    created: core.clock.now(),
    currency,
    customer: customerId,
    customer_account: null,
    ending_balance: ending,
    livemode: false,
    net_amount: net,
  };
  core.store.cashBalanceTransactions.set(transaction.id, transaction);
  emitEvent(core, "customer_cash_balance_transaction.created", transaction, meta);
  return transaction;
}
