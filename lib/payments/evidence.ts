import "server-only";
import { z } from "zod";
import type {
  CashBalanceNews,
  CheckoutSnapshot,
  PaymentIntentState,
  TransferAddress,
  TransferInstructions,
  TransferNews,
} from "./types";

/**
 * What a signed event's own payload proves, without asking Stripe. A Checkout session event
 * carries the session as it was when the event was created; the event type says what became
 * of its payment. The order state machine is monotonic, so deciding from these moments is as
 * safe as deciding from a fresh read: a late or repeated one never moves an order back.
 */

const idOrObject = z.union([z.string(), z.object({ id: z.string() })]).nullish();

const sessionPayload = z.object({
  id: z.string().startsWith("cs_"),
  status: z.enum(["open", "complete", "expired"]).nullish(),
  payment_status: z.enum(["paid", "unpaid", "no_payment_required"]),
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  customer_email: z.string().nullish(),
  customer_details: z.object({ email: z.string().nullish() }).nullish(),
  customer: idOrObject,
  payment_intent: idOrObject,
  payment_link: idOrObject,
});

const chargePayload = z.object({
  id: z.string().startsWith("ch_"),
  amount: z.number().int(),
  amount_captured: z.number().int().nullish(),
  currency: z.string(),
  paid: z.boolean().nullish(),
  status: z.string().nullish(),
  payment_intent: idOrObject,
  billing_details: z.object({ email: z.string().nullish() }).nullish(),
});

const paymentIntentPayload = z.object({
  id: z.string().startsWith("pi_"),
  metadata: z.record(z.string(), z.string()).nullish(),
});

/** Why a session event's payment intent is where it is, by event type. */
const INTENT_STATUS_BY_EVENT: Record<string, PaymentIntentState["status"] | null> = {
  "checkout.session.completed": null,
  "checkout.session.async_payment_succeeded": "succeeded",
  // Stripe returns a payment intent whose debit failed to requires_payment_method.
  "checkout.session.async_payment_failed": "requires_payment_method",
  "checkout.session.expired": null,
};

/** Event types whose Checkout session payload alone decides the order (no Stripe read). */
export const SESSION_EVENT_TYPES = Object.keys(INTENT_STATUS_BY_EVENT);

/** The id of a Stripe field that holds an id, or the object it names when expanded. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/**
 * The snapshot a Checkout session event proves. Refunds and disputes are left unknown (null):
 * a session event says nothing about them, so the order keeps what it has.
 */
export function snapshotFromSessionEvent(type: string, object: unknown): CheckoutSnapshot | null {
  const parsed = sessionPayload.safeParse(object);
  if (!parsed.success || !(type in INTENT_STATUS_BY_EVENT)) return null;
  const session = parsed.data;
  const status = session.status ?? "open";
  const paid = session.payment_status !== "unpaid";
  const intentId = idOf(session.payment_intent);
  const intentStatus: PaymentIntentState["status"] =
    INTENT_STATUS_BY_EVENT[type] ??
    (paid ? "succeeded" : status === "complete" ? "processing" : "requires_payment_method");
  return {
    sessionId: session.id,
    orderId: session.metadata?.orderId ?? session.client_reference_id ?? null,
    paymentLinkId: idOf(session.payment_link),
    status,
    paymentStatus: session.payment_status,
    amountTotal: session.amount_total ?? null,
    currency: session.currency ?? null,
    email: session.customer_details?.email ?? session.customer_email ?? null,
    customerId: idOf(session.customer),
    paymentIntent: intentId
      ? {
          id: intentId,
          status: intentStatus,
          amountReceived: intentStatus === "succeeded" ? (session.amount_total ?? 0) : 0,
          currency: session.currency ?? "",
          chargeId: null,
          lastError: null,
        }
      : null,
    refunds: null,
    disputes: null,
    methodHint:
      type === "checkout.session.completed"
        ? paid
          ? "CARD"
          : "DIRECT_DEBIT"
        : type.startsWith("checkout.session.async_payment_")
          ? "DIRECT_DEBIT"
          : null,
  };
}

/** A charge from an event payload (charge.refunded): the payment it proves was made. */
export type ChargeEvidence = {
  chargeId: string;
  paymentIntentId: string;
  amount: number;
  amountReceived: number;
  currency: string;
  paid: boolean;
  email: string | null;
};

/** Reads a charge from an event's object; null when it is not one tied to a payment intent. */
export function chargeFromEvent(object: unknown): ChargeEvidence | null {
  const parsed = chargePayload.safeParse(object);
  if (!parsed.success) return null;
  const charge = parsed.data;
  const paymentIntentId = idOf(charge.payment_intent);
  if (!paymentIntentId) return null;
  return {
    chargeId: charge.id,
    paymentIntentId,
    amount: charge.amount,
    amountReceived: charge.amount_captured ?? charge.amount,
    currency: charge.currency,
    paid: charge.paid === true && charge.status === "succeeded",
    email: charge.billing_details?.email ?? null,
  };
}

/** Our order id as the payment intent's metadata names it (set when the session was created). */
export function orderIdFromPaymentIntent(object: unknown): string | null {
  const parsed = paymentIntentPayload.safeParse(object);
  return parsed.success ? (parsed.data.metadata?.orderId ?? null) : null;
}

const ibanAddress = z.object({
  type: z.literal("iban"),
  iban: z.object({
    iban: z.string(),
    bic: z.string(),
    account_holder_name: z.string(),
    country: z.string(),
  }),
});
const accountFields = z.object({
  account_number: z.string(),
  account_holder_name: z.string(),
  bank_name: z.string(),
});
const abaAddress = z.object({
  type: z.literal("aba"),
  aba: accountFields.extend({ routing_number: z.string() }),
});
const swiftAddress = z.object({
  type: z.literal("swift"),
  swift: accountFields.extend({ swift_code: z.string() }),
});

const transferInstructionsPayload = z.object({
  amount_remaining: z.number().int().nullish(),
  currency: z.string().nullish(),
  reference: z.string().nullish(),
  type: z.string(),
  hosted_instructions_url: z.string().nullish(),
  // Address types this store cannot show (sort codes, CLABE, zengin…) are skipped, not fatal.
  financial_addresses: z.array(z.unknown()).nullish(),
});

const transferIntentPayload = z.object({
  id: z.string().startsWith("pi_"),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
  customer: idOrObject,
  metadata: z.record(z.string(), z.string()).nullish(),
  payment_method_types: z.array(z.string()).nullish(),
  next_action: z
    .object({ type: z.string(), display_bank_transfer_instructions: transferInstructionsPayload.nullish() })
    .nullish(),
});

function transferAddress(raw: unknown): TransferAddress | null {
  const iban = ibanAddress.safeParse(raw);
  if (iban.success) {
    const a = iban.data.iban;
    return { kind: "iban", iban: a.iban, bic: a.bic, accountHolderName: a.account_holder_name, country: a.country };
  }
  const aba = abaAddress.safeParse(raw);
  if (aba.success) {
    const a = aba.data.aba;
    return {
      kind: "aba",
      accountNumber: a.account_number,
      routingNumber: a.routing_number,
      bankName: a.bank_name,
      accountHolderName: a.account_holder_name,
    };
  }
  const swift = swiftAddress.safeParse(raw);
  if (swift.success) {
    const a = swift.data.swift;
    return {
      kind: "swift",
      accountNumber: a.account_number,
      routingNumber: a.swift_code,
      bankName: a.bank_name,
      accountHolderName: a.account_holder_name,
    };
  }
  return null;
}

const TRANSFER_TYPES = new Set(["eu_bank_transfer", "us_bank_transfer"]);

/**
 * A bank transfer's progress from a payment intent event (requires_action, partially_funded,
 * succeeded, canceled); null when the intent is not paid by bank transfer. The amount still
 * to send is Stripe's own `amount_remaining`, so no read is needed.
 */
export function transferFromIntent(type: string, object: unknown): TransferNews | null {
  const parsed = transferIntentPayload.safeParse(object);
  if (!parsed.success) return null;
  const pi = parsed.data;
  const display = pi.next_action?.display_bank_transfer_instructions ?? null;
  if (!display && !(pi.payment_method_types ?? []).includes("customer_balance")) return null;
  const state =
    type === "payment_intent.canceled" || pi.status === "canceled"
      ? "canceled"
      : type === "payment_intent.succeeded" || pi.status === "succeeded"
        ? "funded"
        : "awaiting";
  const instructions: TransferInstructions | null =
    display && display.reference
      ? {
          type: TRANSFER_TYPES.has(display.type) ? (display.type as TransferInstructions["type"]) : "other",
          reference: display.reference,
          amountRemaining: display.amount_remaining ?? pi.amount,
          currency: display.currency ?? pi.currency,
          hostedUrl: display.hosted_instructions_url ?? null,
          addresses: (display.financial_addresses ?? [])
            .map(transferAddress)
            .filter((a): a is TransferAddress => a !== null),
        }
      : null;
  return {
    paymentIntentId: pi.id,
    orderId: pi.metadata?.orderId ?? null,
    customerId: idOf(pi.customer),
    amount: pi.amount,
    currency: pi.currency,
    state,
    amountRemaining: state === "awaiting" ? (display?.amount_remaining ?? null) : null,
    instructions,
  };
}

const cashBalancePayload = z.object({
  object: z.literal("cash_balance"),
  customer: z.string().startsWith("cus_"),
  available: z.record(z.string(), z.number().int()).nullish(),
});

/** A customer's unapplied cash balance from a cash_balance.funds_available event. */
export function cashBalanceFromEvent(object: unknown): CashBalanceNews | null {
  const parsed = cashBalancePayload.safeParse(object);
  if (!parsed.success) return null;
  return { customerId: parsed.data.customer, available: parsed.data.available ?? {} };
}
