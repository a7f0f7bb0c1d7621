/**
 * The payment state machine shared by the hosted page, the control API and the CLI fixtures.
 * Each step mutates the objects and then emits its event, in Stripe's order, so every event
 * carries the object exactly as it was at that moment.
 */
import { attemptPayment } from "./attempt";
import { chargeOutcome, markSucceeded } from "./charges";
import type { RequestMeta } from "./context";
import { NO_REQUEST } from "./context";
import type { Core } from "./core";
import { invalidRequest } from "../api/errors";
import { openTestCardDispute } from "./disputes";
import { countLinkCompletion } from "./payment-links";
import { emitEvent } from "./events";
import type { PaymentMethodRecord } from "./model/catalog";
import type { CheckoutSession, SessionRecord } from "./model/checkout";
import type { Settlement } from "./model/events";
import type { PaymentError, PaymentIntent } from "./model/payments";
import { createCustomer } from "./customers";
import { createPaymentIntent } from "./payment-intents";
import { presentSession, requireSession } from "./present";

export interface Payer {
  email: string | null;
  name: string | null;
}

export type PayResult =
  | { kind: "succeeded" | "processing" | "requires_action" | "no_payment_required"; session: CheckoutSession }
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
  // A bank transfer funds a customer's cash balance, so Checkout creates the customer it lacks, as
  // it does for every payment when asked to with `customer_creation: always`.
  if ((pm.type === "customer_balance" || session.customer_creation === "always") && session.customer === null) {
    session.customer = createCustomer(
      core,
      (customer) => {
        customer.email = session.customer_details?.email ?? null;
        customer.name = payer.name;
      },
      meta,
    ).id;
  }
  const intent = ensureIntent(core, record, meta);
  intent.payment_method_types = [pm.type];
  intent.customer = session.customer;
  const attempt = attemptPayment(core, intent, method, session.id, meta);
  if (attempt.kind === "declined") {
    return { kind: "declined", session: presentSession(core, session), paymentIntent: intent, error: attempt.error };
  }
  complete(core, session, attempt.kind === "succeeded" ? "paid" : "unpaid", meta);
  if (attempt.kind === "requires_action") return { kind: "requires_action", session: presentSession(core, session) };
  if (attempt.kind === "succeeded") openTestCardDispute(core, method, attempt.charge.id);
  return { kind: attempt.kind, session: presentSession(core, session) };
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
  countLinkCompletion(core, session, meta);
}

/** Stripe creates the PaymentIntent at the first confirmation attempt and reuses it after declines. */
function ensureIntent(core: Core, record: SessionRecord, meta: RequestMeta): PaymentIntent {
  const { session, intentData } = record;
  const existing = session.payment_intent ? core.store.paymentIntents.get(session.payment_intent) : undefined;
  if (existing) return existing;
  const intent = createPaymentIntent(
    core,
    {
      customer: session.customer,
      amount: session.amount_total,
      currency: session.currency,
      allowed_payment_method_types: null,
      excluded_payment_method_types: null,
      automatic_payment_methods: null,
      capture_method: "automatic_async",
      description: intentData.description,
      metadata: intentData.metadata,
      payment_method: null,
      payment_method_types: session.payment_method_types,
      receipt_email: intentData.receipt_email,
      setup_future_usage: intentData.setup_future_usage,
      shipping: intentData.shipping,
    },
    meta,
    session.payment_method_options.customer_balance,
  );
  session.payment_intent = intent.id;
  return intent;
}
