import "server-only";
import Stripe from "stripe";
import { stripe } from "./client";
import { callStripe, isRetryableRateLimit, PaymentProviderBusyError, toPaymentError } from "./errors";
import { idOf } from "./evidence";
import { takeBackgroundRequest } from "./rate-budget";
import { reshapeRefund } from "./refunds";
import type { CheckoutSnapshot, DisputeState, PaymentIntentState, RefundState } from "./types";

export type NewCheckoutSession = {
  orderId: string;
  attempt: number;
  currency: string;
  email: string | null;
  /** `imageUrl`: absolute http(s), shown beside the line on Checkout (Stripe fetches it). */
  lines: ReadonlyArray<{ name: string; unitAmount: number; quantity: number; imageUrl?: string | null }>;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  /** Offer the currency's delayed bank debit beside cards. */
  allowDelayedMethods: boolean;
  /**
   * Pay by bank transfer instead (Stripe's customer_balance): Checkout creates a customer whose
   * virtual account receives the money; `country` is where a euro account is held.
   */
  bankTransfer?: { country: string } | null;
};

/** Bank debits that settle days later, per currency (Stripe only offers each in its own currency). */
const DELAYED_METHOD: Record<string, Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType> = {
  eur: "sepa_debit",
  usd: "us_bank_account",
};

/**
 * Creates the Checkout session for one attempt at paying an order; safe to repeat (idempotency
 * key). Stripe's 429 is retried with jittered exponential backoff for up to `rateLimitWaitMs`,
 * then reported as PaymentProviderBusyError; other errors are translated by callStripe.
 */
export async function createCheckoutSession(
  input: NewCheckoutSession,
  options: { rateLimitWaitMs: number },
): Promise<{ id: string; url: string; expiresAt: Date }> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await createOnce(input);
    } catch (error) {
      const limited = isRetryableRateLimit(error);
      if (!limited && !(error instanceof Stripe.errors.StripeConnectionError)) throw toPaymentError(error);
      const delay = Math.min(2_000, 100 * 2 ** attempt) * (0.5 + Math.random());
      if (Date.now() - started + delay > options.rateLimitWaitMs) {
        if (limited) throw new PaymentProviderBusyError(Math.max(1, Math.ceil(delay / 1000)), error);
        throw toPaymentError(error);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function createOnce(input: NewCheckoutSession): Promise<{ id: string; url: string; expiresAt: Date }> {
  const delayed = input.allowDelayedMethods ? DELAYED_METHOD[input.currency] : undefined;
  const session = await stripe().checkout.sessions.create(
    {
      mode: "payment",
      line_items: input.lines.map((line) => ({
        quantity: line.quantity,
        price_data: {
          currency: input.currency,
          unit_amount: line.unitAmount,
          product_data: { name: line.name, ...(line.imageUrl ? { images: [line.imageUrl] } : {}) },
        },
      })),
      client_reference_id: input.orderId,
      metadata: { orderId: input.orderId, attempt: String(input.attempt) },
      payment_intent_data: { metadata: { orderId: input.orderId } },
      ...(input.email ? { customer_email: input.email } : {}),
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      expires_at: Math.floor(input.expiresAt.getTime() / 1000),
      ...(input.bankTransfer
        ? bankTransferParams(input.currency, input.bankTransfer.country)
        : // This API version filters the account's eligible methods with allowed_payment_method_types.
          { allowed_payment_method_types: delayed ? ["card", delayed] : ["card"] }),
    },
    // 429s and network errors are retried above, within the time the shopper waits.
    { idempotencyKey: `checkout-${input.orderId}-${input.attempt}`, maxNetworkRetries: 0 },
  );
  if (!session.url) throw new Error(`Checkout session ${session.id} has no URL`);
  return { id: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
}

/** A Checkout session paid by bank transfer: the customer's balance, funded from their bank. */
function bankTransferParams(currency: string, country: string): Partial<Stripe.Checkout.SessionCreateParams> {
  const bankTransfer: Stripe.Checkout.SessionCreateParams.PaymentMethodOptions.CustomerBalance.BankTransfer =
    currency === "eur" ? { type: "eu_bank_transfer", eu_bank_transfer: { country } } : { type: "us_bank_transfer" };
  return {
    allowed_payment_method_types: ["customer_balance"],
    payment_method_options: { customer_balance: { funding_type: "bank_transfer", bank_transfer: bankTransfer } },
    customer_creation: "always",
  };
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

function reshapeDispute(dispute: Stripe.Dispute): DisputeState {
  return {
    id: dispute.id,
    amount: dispute.amount,
    currency: dispute.currency,
    status: dispute.status,
    chargeId: idOf(dispute.charge),
  };
}

/** A background read: waits for room in the Stripe budget all instances share, then calls. */
async function readStripe<T>(fn: () => Promise<T>): Promise<T> {
  await takeBackgroundRequest();
  return callStripe(fn);
}

function reshapeSession(
  session: Stripe.Checkout.Session,
): Omit<CheckoutSnapshot, "paymentIntent" | "refunds" | "disputes"> {
  return {
    sessionId: session.id,
    orderId: session.metadata?.orderId ?? session.client_reference_id ?? null,
    paymentLinkId: idOf(session.payment_link),
    status: known(session.status, ["open", "complete", "expired"], "open"),
    paymentStatus: known(session.payment_status, ["paid", "unpaid", "no_payment_required"], "unpaid"),
    amountTotal: session.amount_total,
    currency: session.currency,
    email: session.customer_details?.email ?? session.customer_email ?? null,
  };
}

function expandedIntent(session: Stripe.Checkout.Session): Stripe.PaymentIntent | null {
  return session.payment_intent && typeof session.payment_intent !== "string" ? session.payment_intent : null;
}

/**
 * Reads a Checkout session and its payment in one request, as they are now at Stripe.
 * Refunds and disputes are left unknown: this is the read for an order still waiting to be
 * paid (the shopper back before the webhook, a checkout past its expiry).
 */
export async function retrievePaymentSnapshot(sessionId: string): Promise<CheckoutSnapshot> {
  const session = await readStripe(() =>
    stripe().checkout.sessions.retrieve(sessionId, { expand: ["payment_intent"] }),
  );
  const pi = expandedIntent(session);
  return {
    ...reshapeSession(session),
    paymentIntent: pi ? reshapePaymentIntent(pi) : null,
    refunds: null,
    disputes: null,
  };
}

/** Reads a Checkout session, its payment, refunds and disputes, as they are now at Stripe (admin resync). */
export async function retrieveCheckoutSnapshot(sessionId: string): Promise<CheckoutSnapshot> {
  const client = stripe();
  const session = await readStripe(() => client.checkout.sessions.retrieve(sessionId, { expand: ["payment_intent"] }));
  const pi = expandedIntent(session);
  const [refunds, disputes] = pi
    ? await Promise.all([
        readStripe(() => client.refunds.list({ payment_intent: pi.id, limit: 100 })),
        readStripe(() => client.disputes.list({ payment_intent: pi.id, limit: 100 })),
      ])
    : [null, null];
  return {
    ...reshapeSession(session),
    paymentIntent: pi ? reshapePaymentIntent(pi) : null,
    refunds: refunds?.data.map(reshapeRefund) ?? [],
    disputes: disputes?.data.map(reshapeDispute) ?? [],
  };
}

/** Every refund of a payment, in one request (a charge.refunded event names the charge only). */
export async function listRefunds(paymentIntentId: string): Promise<RefundState[]> {
  const list = await readStripe(() => stripe().refunds.list({ payment_intent: paymentIntentId, limit: 100 }));
  return list.data.map(reshapeRefund);
}

/**
 * Every dispute of a payment with the disputed charge, in one request: the disputes decide the
 * order's flag, the charge proves the payment they are about.
 */
export async function listDisputes(paymentIntentId: string): Promise<{
  disputes: DisputeState[];
  charge: { amount: number; currency: string; paid: boolean; id: string } | null;
}> {
  const list = await readStripe(() =>
    stripe().disputes.list({ payment_intent: paymentIntentId, limit: 100, expand: ["data.charge"] }),
  );
  const charge = list.data.map((d) => d.charge).find((c): c is Stripe.Charge => typeof c === "object" && c !== null);
  return {
    disputes: list.data.map(reshapeDispute),
    charge: charge
      ? {
          id: charge.id,
          amount: charge.amount,
          currency: charge.currency,
          paid: charge.paid && charge.status === "succeeded",
        }
      : null,
  };
}

/** The Checkout session a payment intent belongs to, and the order it names, if any. */
export async function findCheckoutSession(
  paymentIntentId: string,
): Promise<{ sessionId: string; orderId: string | null } | null> {
  const list = await readStripe(() => stripe().checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 }));
  const session = list.data[0];
  return session ? { sessionId: session.id, orderId: reshapeSession(session).orderId } : null;
}
