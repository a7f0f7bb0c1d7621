import "server-only";
import { type ActionResult, type AdminUser, refused } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { formatMoney } from "@/lib/money";
import { fulfillCheckout, refundedAmount } from "@/lib/orders/fulfillment";
import { replayStoredEvent } from "@/lib/orders/webhook-delivery";
import { retrieveCheckoutSnapshot } from "@/lib/payments/checkout-sessions";
import { PaymentProviderUnavailableError, PaymentRequestRejectedError } from "@/lib/payments/errors";
import { createRefund } from "@/lib/payments/refunds";
import { recordAudit } from "./audit";

/** What Stripe still holds of an order's payment and could refund, in minor units. */
export async function refundableAmount(
  sessionId: string,
): Promise<{ paymentIntentId: string; remaining: number } | null> {
  const snapshot = await retrieveCheckoutSnapshot(sessionId);
  const pi = snapshot.paymentIntent;
  if (!pi || pi.status !== "succeeded") return null;
  return { paymentIntentId: pi.id, remaining: pi.amountReceived - refundedAmount(snapshot.refunds ?? []) };
}

function failure(error: unknown): ActionResult {
  if (error instanceof PaymentProviderUnavailableError)
    return refused("payment_provider_unavailable", "Stripe could not be reached. Nothing was changed; try again.");
  if (error instanceof PaymentRequestRejectedError) return refused("conflict", `Stripe refused: ${error.message}`);
  throw error;
}

/**
 * Refunds part or all of a paid order through Stripe. The amount is checked against what
 * Stripe says remains (so refunds made elsewhere count too); `requestId` comes from the form
 * and is the idempotency key, so a double submit refunds once.
 */
export async function refundOrder(
  admin: AdminUser,
  input: { orderId: string; amount: number; requestId: string },
): Promise<ActionResult> {
  const order = await db.order.findUnique({ where: { id: input.orderId } });
  if (!order) return refused("not_found", "No such order.");
  if (!order.stripeCheckoutSessionId || (order.status !== "PAID" && order.status !== "REFUNDED"))
    return refused("conflict", "Only paid orders can be refunded.");
  const audit = { action: "refund", orderId: order.id } as const;
  try {
    const payment = await refundableAmount(order.stripeCheckoutSessionId);
    if (!payment || payment.remaining <= 0) return refused("conflict", "Nothing is left to refund on this order.");
    if (input.amount > payment.remaining)
      return refused("bad_request", `At most ${formatMoney(payment.remaining, order.currency)} can still be refunded.`);
    const refund = await createRefund({
      paymentIntentId: payment.paymentIntentId,
      amount: input.amount,
      idempotencyKey: `admin-refund-${order.id}-${input.requestId}`,
      orderId: order.id,
    });
    await recordAudit(admin, {
      ...audit,
      target: refund.id,
      outcome: "succeeded",
      detail: { amount: input.amount, currency: order.currency, refundStatus: refund.status },
    });
    return {
      ok: true,
      message: `Refund of ${formatMoney(input.amount, order.currency)} sent to Stripe (${refund.status}). The order updates when Stripe confirms it.`,
    };
  } catch (error) {
    const result = failure(error);
    await recordAudit(admin, {
      ...audit,
      outcome: "failed",
      detail: { amount: input.amount, currency: order.currency, error: result.message },
    });
    return result;
  }
}

/** Re-reads an order's payment from Stripe and applies it through the single transition service. */
export async function resyncOrder(admin: AdminUser, orderId: string): Promise<ActionResult> {
  const order = await db.order.findUnique({ where: { id: orderId }, select: { stripeCheckoutSessionId: true } });
  if (!order) return refused("not_found", "No such order.");
  if (!order.stripeCheckoutSessionId) return refused("conflict", "This order never reached Stripe.");
  try {
    const result = await fulfillCheckout(order.stripeCheckoutSessionId);
    const summary =
      result.outcome === "applied"
        ? result.changed
          ? `Updated from Stripe: now ${result.status.toLowerCase()}.`
          : "Already in line with Stripe; nothing changed."
        : result.outcome === "ignored"
          ? `Stripe's session does not match this order (${result.reason}).`
          : "Already in line with Stripe; nothing changed.";
    await recordAudit(admin, { action: "resync", orderId, outcome: "succeeded", detail: { result: summary } });
    return { ok: true, message: summary };
  } catch (error) {
    const result = failure(error);
    await recordAudit(admin, { action: "resync", orderId, outcome: "failed", detail: { error: result.message } });
    return result;
  }
}

/** Puts a copy of an email the order already received back in the outbox. */
export async function resendEmail(
  admin: AdminUser,
  input: { orderId: string; emailId: string; requestId: string },
): Promise<ActionResult> {
  const email = await db.emailOutbox.findFirst({ where: { id: input.emailId, orderId: input.orderId } });
  if (!email) return refused("not_found", "No such email on this order.");
  const copy = await db.emailOutbox.upsert({
    where: { dedupeKey: `resend:${email.id}:${input.requestId}` },
    create: {
      dedupeKey: `resend:${email.id}:${input.requestId}`,
      orderId: email.orderId,
      kind: email.kind,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
    },
    update: {},
  });
  await recordAudit(admin, {
    action: "resend_email",
    orderId: input.orderId,
    target: email.id,
    outcome: "succeeded",
    detail: { kind: email.kind, copy: copy.id },
  });
  return { ok: true, message: `“${email.subject}” queued to be sent again.` };
}

/** Runs a stored webhook event through the pipeline again; idempotent. */
export async function replayEvent(admin: AdminUser, stripeEventId: string): Promise<ActionResult> {
  const row = await db.webhookEvent.findUnique({ where: { stripeEventId }, select: { orderId: true } });
  if (!row) return refused("not_found", "No such event.");
  try {
    const outcome = await replayStoredEvent(stripeEventId);
    await recordAudit(admin, {
      action: "replay_event",
      orderId: row.orderId,
      target: stripeEventId,
      outcome: "succeeded",
      detail: { outcome },
    });
    return { ok: true, message: `Replayed ${stripeEventId}: ${outcome}.` };
  } catch (error) {
    const result = failure(error);
    await recordAudit(admin, {
      action: "replay_event",
      orderId: row.orderId,
      target: stripeEventId,
      outcome: "failed",
      detail: { error: result.message },
    });
    return result;
  }
}
