import "server-only";
import { type ActionResult, type AdminUser, refused } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { applySettlement } from "@/lib/orders/fulfillment";
import { markPaymentLinkInactive, placeLinkOrder, resendPaymentLink } from "@/lib/orders/link-orders";
import { CheckoutError } from "@/lib/orders/place-order";
import type { StockLine } from "@/lib/orders/inventory";
import { PaymentProviderUnavailableError, PaymentRequestRejectedError } from "@/lib/payments/errors";
import { deactivatePaymentLink } from "@/lib/payments/payment-links";
import { recordAudit } from "./audit";

/** An admin's action on a link order, or the reason it cannot be taken. */
export type LinkOrderResult = ActionResult & { orderId?: string };

/**
 * Creates an order for a customer and emails them its payment link; audited either way. A
 * refusal (stock, caps, Stripe) changes nothing and says why.
 */
export async function createLinkOrder(
  admin: AdminUser,
  input: { items: StockLine[]; email: string; note: string | null },
): Promise<LinkOrderResult> {
  const detail = { email: input.email, items: input.items, note: input.note };
  try {
    const { orderId, linkUrl } = await placeLinkOrder(input);
    await recordAudit(admin, {
      action: "create_link_order",
      orderId,
      target: linkUrl,
      outcome: "succeeded",
      detail,
    });
    return { ok: true, orderId, message: `Order created; the payment link is on its way to ${input.email}.` };
  } catch (error) {
    if (!(error instanceof CheckoutError)) throw error;
    await recordAudit(admin, {
      action: "create_link_order",
      outcome: "failed",
      detail: { ...detail, error: error.message },
    });
    return refused(error.problem, error.message);
  }
}

/** What stops an action on a link order, or null when it may go ahead. */
function notOpen(order: { channel: string; status: string; paymentStatus: string }): ActionResult | null {
  if (order.channel !== "PAYMENT_LINK") return refused("conflict", "This order was not sent as a payment link.");
  if (order.status === "PAID" || order.status === "REFUNDED" || order.paymentStatus === "PAID")
    return refused(
      "conflict",
      "This order has been paid, so its link cannot be resent or cancelled. Refund it instead.",
    );
  if (order.paymentStatus === "AWAITING_PAYMENT")
    return refused("conflict", "The customer's payment is on its way (a bank debit being collected); wait for it.");
  if (order.status !== "PENDING") return refused("conflict", "This order is already closed.");
  return null;
}

/** Emails the order's payment link to the customer again; audited. */
export async function resendLink(
  admin: AdminUser,
  input: { orderId: string; requestId: string },
): Promise<ActionResult> {
  const order = await db.order.findUnique({ where: { id: input.orderId } });
  if (!order) return refused("not_found", "No such order.");
  const refusal = notOpen(order);
  if (refusal) return refusal;
  const sent = await resendPaymentLink(order.id, input.requestId);
  await recordAudit(admin, {
    action: "resend_payment_link",
    orderId: order.id,
    target: order.stripePaymentLinkId,
    outcome: sent ? "succeeded" : "failed",
    detail: { to: order.email },
  });
  return sent
    ? { ok: true, message: `The payment link is on its way to ${order.email ?? "the customer"} again.` }
    : refused("conflict", "This order no longer takes payment through its link.");
}

/**
 * Cancels an unpaid link order: the link is deactivated at Stripe first (so nobody can start
 * paying it), then the order closes through the one settlement path: expired, stock released,
 * the customer told. Audited either way.
 */
export async function cancelLinkOrder(admin: AdminUser, orderId: string): Promise<ActionResult> {
  const order = await db.order.findUnique({ where: { id: orderId } });
  if (!order) return refused("not_found", "No such order.");
  const refusal = notOpen(order);
  if (refusal) return refusal;
  const audit = { action: "cancel_link_order", orderId, target: order.stripePaymentLinkId } as const;
  try {
    if (order.stripePaymentLinkId) await deactivatePaymentLink(order.stripePaymentLinkId, { background: false });
    await markPaymentLinkInactive(orderId);
  } catch (error) {
    const message =
      error instanceof PaymentProviderUnavailableError
        ? "Stripe could not be reached, so the link still works and the order is unchanged. Try again."
        : error instanceof PaymentRequestRejectedError
          ? `Stripe refused to deactivate the link (${error.message}); the order is unchanged.`
          : null;
    if (!message) throw error;
    await recordAudit(admin, { ...audit, outcome: "failed", detail: { error: message } });
    return refused("payment_provider_unavailable", message);
  }
  const result = await applySettlement(orderId, [{ snapshot: null, close: "unpaid" }]);
  const status = result.outcome === "applied" ? result.status : order.status;
  await recordAudit(admin, { ...audit, outcome: "succeeded", detail: { status } });
  return status === "EXPIRED"
    ? { ok: true, message: "Order cancelled: the link no longer works, the stock is back on the shelf." }
    : {
        ok: true,
        message: `The link no longer works, but a payment arrived meanwhile: the order is ${status.toLowerCase()}.`,
      };
}

/** The products an admin can put in an order: those on sale, with what is left to reserve. */
export async function listProductsForLinkOrder(): Promise<
  Array<{ id: string; name: string; unitAmount: number; currency: string; available: number }>
> {
  const products = await db.product.findMany({ where: { active: true }, orderBy: { name: "asc" } });
  return products.map((p) => ({
    id: p.id,
    name: p.name,
    unitAmount: p.unitAmount,
    currency: p.currency,
    available: Math.max(0, p.stockOnHand - p.stockReserved),
  }));
}
