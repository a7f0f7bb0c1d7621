import "server-only";
import type Stripe from "stripe";
import { stripe } from "./client";
import { callStripe } from "./errors";
import type { CheckoutSnapshot, DisputeState, PaymentIntentState, RefundState } from "./types";

export type NewCheckoutSession = {
  orderId: string;
  attempt: number;
  currency: string;
  email: string | null;
  lines: ReadonlyArray<{ name: string; unitAmount: number; quantity: number }>;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  /** Offer the currency's delayed bank debit beside cards. */
  allowDelayedMethods: boolean;
};

/** Bank debits that settle days later, per currency (Stripe only offers each in its own currency). */
const DELAYED_METHOD: Record<string, Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType> = {
  eur: "sepa_debit",
  usd: "us_bank_account",
};

/** Creates the Checkout session for one attempt at paying an order; safe to repeat (idempotency key). */
export async function createCheckoutSession(
  input: NewCheckoutSession,
): Promise<{ id: string; url: string; expiresAt: Date }> {
  const delayed = input.allowDelayedMethods ? DELAYED_METHOD[input.currency] : undefined;
  const session = await callStripe(() =>
    stripe().checkout.sessions.create(
      {
        mode: "payment",
        line_items: input.lines.map((line) => ({
          quantity: line.quantity,
          price_data: { currency: input.currency, unit_amount: line.unitAmount, product_data: { name: line.name } },
        })),
        client_reference_id: input.orderId,
        metadata: { orderId: input.orderId, attempt: String(input.attempt) },
        payment_intent_data: { metadata: { orderId: input.orderId } },
        ...(input.email ? { customer_email: input.email } : {}),
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        expires_at: Math.floor(input.expiresAt.getTime() / 1000),
        // This API version filters the account's eligible methods with allowed_payment_method_types.
        allowed_payment_method_types: delayed ? ["card", delayed] : ["card"],
      },
      { idempotencyKey: `checkout-${input.orderId}-${input.attempt}` },
    ),
  );
  if (!session.url) throw new Error(`Checkout session ${session.id} has no URL`);
  return { id: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/** Narrows one of Stripe's open string unions to the values this app knows, or a fallback. */
function known<T extends string>(value: string | null | undefined, values: readonly T[], fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

const PI_STATUSES = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing",
  "requires_capture",
  "canceled",
  "succeeded",
] as const;

function reshapePaymentIntent(pi: Stripe.PaymentIntent): PaymentIntentState {
  return {
    id: pi.id,
    status: known(pi.status, PI_STATUSES, "requires_payment_method"),
    amountReceived: pi.amount_received,
    currency: pi.currency,
    chargeId: idOf(pi.latest_charge),
    lastError: pi.last_payment_error?.message ?? null,
  };
}

function reshapeRefund(refund: Stripe.Refund): RefundState {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status ?? "pending",
    chargeId: idOf(refund.charge),
  };
}

function reshapeDispute(dispute: Stripe.Dispute): DisputeState {
  return {
    id: dispute.id,
    amount: dispute.amount,
    currency: dispute.currency,
    status: dispute.status,
    chargeId: idOf(dispute.charge),
  };
}

/** Reads a Checkout session, its payment, refunds and disputes, as they are now at Stripe. */
export async function retrieveCheckoutSnapshot(sessionId: string): Promise<CheckoutSnapshot> {
  const client = stripe();
  const session = await callStripe(() => client.checkout.sessions.retrieve(sessionId, { expand: ["payment_intent"] }));
  const pi = session.payment_intent && typeof session.payment_intent !== "string" ? session.payment_intent : null;
  const [refunds, disputes] = pi
    ? await Promise.all([
        callStripe(() => client.refunds.list({ payment_intent: pi.id, limit: 100 })),
        callStripe(() => client.disputes.list({ payment_intent: pi.id, limit: 100 })),
      ])
    : [null, null];
  return {
    sessionId: session.id,
    orderId: session.metadata?.orderId ?? session.client_reference_id ?? null,
    status: known(session.status, ["open", "complete", "expired"], "open"),
    paymentStatus: known(session.payment_status, ["paid", "unpaid", "no_payment_required"], "unpaid"),
    amountTotal: session.amount_total,
    currency: session.currency,
    email: session.customer_details?.email ?? session.customer_email ?? null,
    paymentIntent: pi ? reshapePaymentIntent(pi) : null,
    refunds: refunds?.data.map(reshapeRefund) ?? [],
    disputes: disputes?.data.map(reshapeDispute) ?? [],
  };
}

/** The Checkout session a payment intent belongs to, if any. */
export async function findCheckoutSessionId(paymentIntentId: string): Promise<string | null> {
  const list = await callStripe(() => stripe().checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 }));
  return list.data[0]?.id ?? null;
}

/** Ends an open Checkout session early (a new attempt replaces it). Already-closed sessions are left alone. */
export async function expireCheckoutSession(sessionId: string): Promise<void> {
  const session = await callStripe(() => stripe().checkout.sessions.retrieve(sessionId));
  if (session.status === "open") await callStripe(() => stripe().checkout.sessions.expire(sessionId));
}
