import "server-only";
import { stripe } from "./client";
import { callStripe, PaymentRequestRejectedError } from "./errors";
import { takeBackgroundRequest } from "./rate-budget";

export type NewPaymentLink = {
  orderId: string;
  currency: string;
  lines: ReadonlyArray<{ name: string; unitAmount: number; quantity: number }>;
  /** Where the customer lands once paid: their order page, with a token that opens it. */
  successUrl: string;
};

export type CreatedPaymentLink = { id: string; url: string };

/**
 * Creates the Payment Link an admin sends for an order, in one Stripe write: its lines priced
 * inline, at most one completed payment, the order named on the link and on every payment it
 * takes, and the customer sent back to their order page. Safe to repeat for one order (the
 * idempotency key is the order's), so a retry after a lost answer finds the same link.
 */
export async function createPaymentLink(input: NewPaymentLink): Promise<CreatedPaymentLink> {
  const link = await callStripe(() =>
    stripe().paymentLinks.create(
      {
        line_items: input.lines.map((line) => ({
          quantity: line.quantity,
          price_data: { currency: input.currency, unit_amount: line.unitAmount, product_data: { name: line.name } },
        })),
        metadata: { orderId: input.orderId },
        payment_intent_data: { metadata: { orderId: input.orderId } },
        restrictions: { completed_sessions: { limit: 1 } },
        after_completion: { type: "redirect", redirect: { url: input.successUrl } },
      },
      { idempotencyKey: `payment-link-${input.orderId}` },
    ),
  );
  return { id: link.id, url: link.url };
}

/**
 * Stops a Payment Link taking payments. A link already inactive, or one Stripe no longer has,
 * counts as done. Background callers (jobs) wait for room in the shared Stripe budget; an
 * admin waiting on the answer does not.
 */
export async function deactivatePaymentLink(linkId: string, options: { background?: boolean } = {}): Promise<void> {
  if (options.background !== false) await takeBackgroundRequest();
  try {
    await callStripe(() => stripe().paymentLinks.update(linkId, { active: false }));
  } catch (error) {
    if (error instanceof PaymentRequestRejectedError && error.code === "resource_missing") return;
    throw error;
  }
}
