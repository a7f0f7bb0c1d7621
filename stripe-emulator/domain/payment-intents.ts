/**
 * PaymentIntents as the API drives them: created, confirmed with a payment method and
 * canceled. Confirmation runs the same payment as Checkout (`attemptPayment`).
 */
import { StripeApiError } from "../api/errors";
import { appliedAmount, returnAppliedFunds } from "./bank-transfers";
import { attemptPayment, type Attempt } from "./attempt";
import type { RequestMeta } from "./context";
import type { Core } from "./core";
import { openTestCardDispute } from "./disputes";
import { emitEvent } from "./events";
import { newId, randomToken } from "./ids";
import type { CustomerBalanceOptions } from "./model/bank-transfers";
import type { PaymentMethodRecord } from "./model/catalog";
import type { PaymentIntent } from "./model/payments";

/** What the caller decides about a new intent; everything else starts as Stripe starts it. */
export type IntentInput = Pick<
  PaymentIntent,
  | "amount"
  | "currency"
  | "customer"
  | "allowed_payment_method_types"
  | "excluded_payment_method_types"
  | "automatic_payment_methods"
  | "capture_method"
  | "description"
  | "metadata"
  | "payment_method"
  | "payment_method_types"
  | "receipt_email"
  | "setup_future_usage"
  | "shipping"
>;

/** Stores a new intent and sends `payment_intent.created`. */
export function createPaymentIntent(
  core: Core,
  input: IntentInput,
  meta: RequestMeta,
  customerBalance?: CustomerBalanceOptions,
): PaymentIntent {
  const id = newId("pi");
  const types = input.payment_method_types;
  const intent: PaymentIntent = {
    ...input,
    id,
    object: "payment_intent",
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${randomToken(24)}`,
    confirmation_method: "automatic",
    created: core.clock.now(),
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: { ...input.metadata },
    payment_method_types: [...types],
    status: input.payment_method === null ? "requires_payment_method" : "requires_confirmation",
    application: null,
    application_fee_amount: null,
    customer_account: null,
    managed_payments: null,
    next_action: null,
    on_behalf_of: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      ...(types.includes("card")
        ? {
            card: {
              installments: null,
              mandate_options: null,
              network: null,
              request_three_d_secure: "automatic" as const,
            },
          }
        : {}),
      ...(types.includes("customer_balance") && customerBalance ? { customer_balance: customerBalance } : {}),
      ...(types.includes("sepa_debit") ? { sepa_debit: {} } : {}),
    },
    payment_record: null,
    processing: null,
    review: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_group: null,
  };
  core.store.paymentIntents.set(id, intent);
  emitEvent(core, "payment_intent.created", intent, meta);
  return intent;
}

/** The statuses an intent may be confirmed or canceled in (the emulator has no manual capture or 3D Secure). */
const UNCONFIRMED: readonly PaymentIntent["status"][] = ["requires_payment_method", "requires_confirmation"];

/** A bank transfer waiting for funds (`requires_action`) may be canceled too. */
const CANCELABLE: readonly PaymentIntent["status"][] = [...UNCONFIRMED, "requires_action"];

/** Confirms with `method` (or the one already set); a test card that brings a dispute opens it after the payment. */
export function confirmPaymentIntent(
  core: Core,
  intent: PaymentIntent,
  method: PaymentMethodRecord | null,
  meta: RequestMeta,
): Attempt {
  core.scheduler.runDue();
  assertNotCheckout(core, intent, "confirm");
  if (intent.status === "succeeded") {
    throw unexpectedState(
      intent,
      "You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.",
    );
  }
  if (!UNCONFIRMED.includes(intent.status)) {
    throw unexpectedState(
      intent,
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${UNCONFIRMED.join(", ")}.`,
    );
  }
  const chosen = method ?? (intent.payment_method ? core.store.paymentMethods.get(intent.payment_method) : undefined);
  if (!chosen) {
    throw unexpectedState(
      intent,
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    );
  }
  assertAccepts(intent.payment_method_types, chosen);
  const attempt = attemptPayment(core, intent, chosen, null, meta);
  if (attempt.kind === "succeeded") openTestCardDispute(core, chosen, attempt.charge.id);
  return attempt;
}

/** A payment method of a type the intent does not accept is refused before anything is charged. */
export function assertAccepts(types: readonly string[], method: PaymentMethodRecord): void {
  const type = method.paymentMethod.type;
  if (types.includes(type)) return;
  throw new StripeApiError(400, {
    type: "invalid_request_error",
    code: "payment_intent_incompatible_payment_method",
    param: "payment_method",
    message: `The PaymentMethod provided (${type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${types.join(", ")}. Alternatively update the allowed payment_method_types for this PaymentIntent to include "${type}".`,
  });
}

export function cancelPaymentIntent(
  core: Core,
  intent: PaymentIntent,
  reason: "abandoned" | "duplicate" | "fraudulent" | "requested_by_customer" | undefined,
  meta: RequestMeta,
): PaymentIntent {
  assertNotCheckout(core, intent, "cancel");
  if (!CANCELABLE.includes(intent.status)) {
    throw unexpectedState(
      intent,
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
    );
  }
  const applied = appliedAmount(intent);
  intent.status = "canceled";
  intent.canceled_at = core.clock.now();
  intent.cancellation_reason = reason ?? null;
  intent.next_action = null;
  emitEvent(core, "payment_intent.canceled", intent, meta);
  returnAppliedFunds(core, intent, applied, meta);
  return intent;
}

/** A Checkout Session's intent belongs to the session: it is paid on its page, and ends when it expires. */
function assertNotCheckout(core: Core, intent: PaymentIntent, action: "confirm" | "cancel"): void {
  for (const { session } of core.store.sessions.values()) {
    if (session.payment_intent === intent.id && session.status === "open") {
      throw unexpectedState(
        intent,
        `You cannot ${action} this PaymentIntent because it belongs to the open Checkout Session ${session.id}. ${action === "cancel" ? "Expire the session instead." : "Pay it through the session."}`,
      );
    }
  }
}

function unexpectedState(intent: PaymentIntent, message: string): StripeApiError {
  return new StripeApiError(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message,
    payment_intent: { ...intent },
  });
}
