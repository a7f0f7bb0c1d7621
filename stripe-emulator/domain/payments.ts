/**
 * The payment state machine shared by the hosted page, the control API and the CLI fixtures.
 * Each step mutates the objects and then emits its event, in Stripe's order, so every event
 * carries the object exactly as it was at that moment.
 */
import { chargeOutcome, createCharge } from "./charges";
import type { RequestMeta } from "./context";
import { NO_REQUEST } from "./context";
import type { Core } from "./core";
import { invalidRequest } from "../api/errors";
import { emitEvent } from "./events";
import { newId, randomToken } from "./ids";
import type { PaymentMethodRecord } from "./model/catalog";
import type { CheckoutSession, SessionRecord } from "./model/checkout";
import type { Settlement } from "./model/events";
import type { PaymentError, PaymentIntent } from "./model/payments";
import { presentSession, requireSession } from "./present";

export interface Payer {
  email: string | null;
  name: string | null;
}

export type PayResult =
  | { kind: "succeeded" | "processing" | "no_payment_required"; session: CheckoutSession }
  | { kind: "declined"; session: CheckoutSession; paymentIntent: PaymentIntent; error: PaymentError };

export function paySession(
  core: Core,
  sessionId: string,
  method: PaymentMethodRecord,
  payer: Payer,
  meta: RequestMeta,
): PayResult {
  core.scheduler.runDue();
  const record = requireSession(core, sessionId);
  const { session } = record;
  assertOpen(session);
  const pm = method.paymentMethod;
  if (!session.payment_method_types.includes(pm.type)) {
    throw invalidRequest(`This Checkout Session does not accept the payment method type '${pm.type}'.`, {
      param: "payment_method",
    });
  }
  const billing = pm.billing_details;
  session.customer_details = {
    address: billing.address,
    business_name: null,
    email: payer.email ?? session.customer_email,
    individual_name: null,
    name: payer.name,
    phone: billing.phone,
    tax_exempt: "none",
    tax_ids: [],
  };
  if (session.amount_total === 0) {
    complete(core, session, "no_payment_required", meta);
    return { kind: "no_payment_required", session: presentSession(core, session) };
  }
  const intent = ensureIntent(core, record, meta);
  intent.payment_method = pm.id;
  intent.payment_method_types = [pm.type];
  const behavior = method.behavior;
  switch (behavior.outcome) {
    case "succeed": {
      const charge = createCharge(core, intent, method, "succeeded");
      markSucceeded(intent);
      emitEvent(core, "payment_intent.succeeded", intent, meta);
      emitEvent(core, "charge.succeeded", charge, meta);
      complete(core, session, "paid", meta);
      return { kind: "succeeded", session: presentSession(core, session) };
    }
    case "decline": {
      const error: PaymentError = {
        type: "card_error",
        code: behavior.code,
        ...(behavior.declineCode ? { decline_code: behavior.declineCode } : {}),
        message: behavior.message,
        payment_method: pm,
      };
      const charge = createCharge(core, intent, method, "failed", {
        code: behavior.code,
        message: behavior.message,
        declineCode: behavior.declineCode ?? undefined,
      });
      intent.status = "requires_payment_method";
      intent.last_payment_error = error;
      emitEvent(core, "charge.failed", charge, meta);
      emitEvent(core, "payment_intent.payment_failed", intent, meta);
      return { kind: "declined", session: presentSession(core, session), paymentIntent: intent, error };
    }
    case "async_succeed":
    case "async_fail": {
      const charge = createCharge(core, intent, method, "pending");
      intent.status = "processing";
      intent.last_payment_error = null;
      emitEvent(core, "payment_intent.processing", intent, meta);
      emitEvent(core, "charge.pending", charge, meta);
      complete(core, session, "unpaid", meta);
      core.store.settlements.push({
        paymentIntentId: intent.id,
        sessionId: session.id,
        outcome: behavior.outcome === "async_succeed" ? "succeeded" : "failed",
        dueAtMs: core.clock.nowMs() + core.settings.asyncDelaySeconds * 1000,
      });
      core.changed();
      return { kind: "processing", session: presentSession(core, session) };
    }
  }
}

/** Resolves a delayed bank debit, from the real timer or from a clock advance. */
export function settle(core: Core, settlement: Settlement): void {
  core.store.settlements = core.store.settlements.filter((s) => s !== settlement);
  core.changed();
  const intent = core.store.paymentIntents.get(settlement.paymentIntentId);
  if (!intent || intent.status !== "processing") return;
  const charge = intent.latest_charge ? core.store.charges.get(intent.latest_charge) : undefined;
  const record = settlement.sessionId ? core.store.sessions.get(settlement.sessionId) : undefined;
  if (settlement.outcome === "succeeded") {
    markSucceeded(intent);
    if (charge) {
      charge.status = "succeeded";
      charge.paid = true;
    }
    emitEvent(core, "payment_intent.succeeded", intent, NO_REQUEST);
    if (charge) emitEvent(core, "charge.succeeded", charge, NO_REQUEST);
    if (record) {
      record.session.payment_status = "paid";
      emitEvent(core, "checkout.session.async_payment_succeeded", presentSession(core, record.session), NO_REQUEST);
    }
    return;
  }
  const message = "The customer's bank account could not be debited.";
  if (charge) {
    charge.status = "failed";
    charge.failure_code = "insufficient_funds";
    charge.failure_message = message;
    charge.outcome = chargeOutcome("insufficient_funds", true);
  }
  intent.status = "requires_payment_method";
  intent.last_payment_error = { type: "card_error", code: "payment_intent_payment_attempt_failed", message };
  if (charge) emitEvent(core, "charge.failed", charge, NO_REQUEST);
  emitEvent(core, "payment_intent.payment_failed", intent, NO_REQUEST);
  if (record) {
    emitEvent(core, "checkout.session.async_payment_failed", presentSession(core, record.session), NO_REQUEST);
  }
}

export function expireSession(core: Core, sessionId: string, meta: RequestMeta): CheckoutSession {
  const { session } = requireSession(core, sessionId);
  if (session.status !== "open") {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    );
  }
  // An abandoned attempt's PaymentIntent is canceled along with the session, as on Stripe.
  const intent = session.payment_intent ? core.store.paymentIntents.get(session.payment_intent) : undefined;
  if (intent?.status === "requires_payment_method") {
    intent.status = "canceled";
    intent.canceled_at = core.clock.now();
    intent.cancellation_reason = "abandoned";
    emitEvent(core, "payment_intent.canceled", intent, meta);
  }
  session.status = "expired";
  emitEvent(core, "checkout.session.expired", presentSession(core, session), meta);
  return presentSession(core, session);
}

function assertOpen(session: CheckoutSession): void {
  if (session.status === "expired")
    throw invalidRequest("This Checkout Session has expired.", { code: "checkout_session_expired" });
  if (session.status === "complete") {
    throw invalidRequest("This Checkout Session is already complete.", { code: "checkout_session_complete" });
  }
}

function complete(
  core: Core,
  session: CheckoutSession,
  paymentStatus: CheckoutSession["payment_status"],
  meta: RequestMeta,
): void {
  session.status = "complete";
  session.payment_status = paymentStatus;
  emitEvent(core, "checkout.session.completed", presentSession(core, session), meta);
}

function markSucceeded(intent: PaymentIntent): void {
  intent.status = "succeeded";
  intent.amount_received = intent.amount;
  intent.last_payment_error = null;
}

/** Stripe creates the PaymentIntent at the first confirmation attempt and reuses it after declines. */
function ensureIntent(core: Core, record: SessionRecord, meta: RequestMeta): PaymentIntent {
  const { session, intentData } = record;
  const existing = session.payment_intent ? core.store.paymentIntents.get(session.payment_intent) : undefined;
  if (existing) return existing;
  const id = newId("pi");
  const intent: PaymentIntent = {
    id,
    object: "payment_intent",
    amount: session.amount_total,
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${randomToken(24)}`,
    confirmation_method: "automatic",
    created: core.clock.now(),
    currency: session.currency,
    customer: null,
    description: intentData.description,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: { ...intentData.metadata },
    payment_method: null,
    payment_method_types: [...session.payment_method_types],
    receipt_email: intentData.receipt_email,
    setup_future_usage: intentData.setup_future_usage,
    shipping: intentData.shipping,
    status: "requires_payment_method",
    allowed_payment_method_types: null,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    customer_account: null,
    excluded_payment_method_types: null,
    managed_payments: null,
    next_action: null,
    on_behalf_of: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      ...(session.payment_method_types.includes("card")
        ? {
            card: {
              installments: null,
              mandate_options: null,
              network: null,
              request_three_d_secure: "automatic" as const,
            },
          }
        : {}),
      ...(session.payment_method_types.includes("sepa_debit") ? { sepa_debit: {} } : {}),
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
  session.payment_intent = id;
  emitEvent(core, "payment_intent.created", intent, meta);
  return intent;
}
