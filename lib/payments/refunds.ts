import "server-only";
import type Stripe from "stripe";
import { stripe } from "./client";
import { callStripe } from "./errors";
import { idOf } from "./evidence";
import type { RefundState } from "./types";

/**
 * Asks Stripe to refund part or all of a payment. The idempotency key makes a repeated
 * request (a double-submitted form, a retry after a timeout) create one refund only. The
 * order itself changes when Stripe's `charge.refunded` event arrives.
 */
export async function createRefund(input: {
  paymentIntentId: string;
  amount: number;
  idempotencyKey: string;
  orderId: string;
}): Promise<RefundState> {
  const refund = await callStripe(() =>
    stripe().refunds.create(
      {
        payment_intent: input.paymentIntentId,
        amount: input.amount,
        reason: "requested_by_customer",
        metadata: { orderId: input.orderId },
      },
      { idempotencyKey: input.idempotencyKey },
    ),
  );
  return reshapeRefund(refund);
}

/** A Stripe refund in the app's terms. */
export function reshapeRefund(refund: Stripe.Refund): RefundState {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status ?? "pending",
    chargeId: idOf(refund.charge),
  };
}
