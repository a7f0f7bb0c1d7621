import "server-only";
import Stripe from "stripe";
import { stripe } from "./client";
import { toPaymentError } from "./errors";
import { takeBackgroundRequest } from "./rate-budget";

/** What cancelling a bank transfer's payment intent did. */
export type TransferCancellation =
  /** Cancelled now, or it already was: no more money is taken for it. */
  | { outcome: "canceled" }
  /** Stripe kept it (paid meanwhile, or still inside an open Checkout); its events settle the order. */
  | { outcome: "kept"; status: string };

/**
 * Cancels the payment intent of an unpaid bank transfer at its deadline: one background write,
 * within the request budget all instances share. Money already applied to it goes back to the
 * customer's cash balance at Stripe (which reports it with cash_balance.funds_available).
 */
export async function cancelTransferPayment(paymentIntentId: string): Promise<TransferCancellation> {
  await takeBackgroundRequest();
  try {
    await stripe().paymentIntents.cancel(
      paymentIntentId,
      { cancellation_reason: "abandoned" },
      { idempotencyKey: `transfer-deadline-${paymentIntentId}` },
    );
    return { outcome: "canceled" };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "payment_intent_unexpected_state") {
      const status = error.payment_intent?.status ?? "unknown";
      if (status === "canceled") return { outcome: "canceled" };
      return { outcome: "kept", status };
    }
    throw toPaymentError(error);
  }
}
