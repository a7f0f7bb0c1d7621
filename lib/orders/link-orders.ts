import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { publishOrderChange } from "@/lib/live/publish";
import { sumLines } from "@/lib/money";
import { describeStripeError, PaymentRequestRejectedError } from "@/lib/payments/errors";
import { createPaymentLink } from "@/lib/payments/payment-links";
import { createAccessToken } from "./access-token";
import { InsufficientStockError, normaliseLines, reserveStock, type StockLine } from "./inventory";
import { orderStatusUrl } from "./links";
import { enqueueOrderEmail } from "./notifications";
import { grantLinkReturnToken } from "./order-access";
import { CheckoutError, checkOrderSize, closeUnopenedAttempt } from "./place-order";

/**
 * Orders an admin puts together for a customer, paid through a Stripe Payment Link that is
 * emailed to them. The order holds its stock until the link's deadline (PAYMENT_LINK_DAYS);
 * the link completes at most once and brings the customer back to their order page.
 */

export type NewLinkOrder = { items: StockLine[]; email: string; note: string | null };

/**
 * Creates the order PENDING with its stock reserved, then its Payment Link (one Stripe
 * write), records the link and queues the email that sends it. If Stripe does not create
 * the link, the order is closed and its stock released, and the CheckoutError says so.
 */
export async function placeLinkOrder(input: NewLinkOrder): Promise<{ orderId: string; linkUrl: string }> {
  const lines = normaliseLines(input.items);
  if (lines.length === 0) throw new CheckoutError("unknown_product", "Pick at least one product.");
  checkOrderSize(lines);
  const products = await db.product.findMany({
    where: { id: { in: lines.map((l) => l.productId) }, active: true },
    select: { id: true, name: true, unitAmount: true, currency: true },
  });
  const byId = new Map(products.map((p) => [p.id, p]));
  const items = lines.map((line) => {
    const product = byId.get(line.productId);
    if (!product) throw new CheckoutError("unknown_product", `Product ${line.productId} is not for sale.`);
    return { productId: product.id, name: product.name, unitAmount: product.unitAmount, quantity: line.quantity };
  });
  const currencies = new Set(products.map((p) => p.currency));
  const currency = [...currencies][0];
  if (currencies.size !== 1 || !currency)
    throw new CheckoutError("mixed_currency", "Items in different currencies must be ordered separately.");
  const total = sumLines(items);
  const dueAt = new Date(Date.now() + env.PAYMENT_LINK_DAYS * 24 * 60 * 60_000);

  const order = await db
    .$transaction(async (tx) => {
      const created = await tx.order.create({
        data: {
          accessTokenHash: createAccessToken().hash,
          channel: "PAYMENT_LINK",
          email: input.email.toLowerCase(),
          note: input.note,
          currency,
          amountSubtotal: total,
          amountTotal: total,
          paymentDueAt: dueAt,
          items: { create: items },
        },
        select: { id: true },
      });
      await reserveStock(tx, lines);
      return { id: created.id, returnToken: await grantLinkReturnToken(tx, created.id, dueAt) };
    })
    .catch((error: unknown) => {
      if (error instanceof InsufficientStockError) {
        const name = byId.get(error.productId)?.name ?? "An item";
        throw new CheckoutError("insufficient_stock", `${name} does not have enough stock left for this order.`);
      }
      throw error;
    });

  let link: { id: string; url: string };
  try {
    link = await createPaymentLink({
      orderId: order.id,
      currency,
      lines: items,
      successUrl: orderStatusUrl(env.APP_URL, order.id, order.returnToken),
    });
  } catch (error) {
    console.error(`[payment-link] order ${order.id}: ${describeStripeError(error)}`);
    await closeUnopenedAttempt({ id: order.id, items });
    throw error instanceof PaymentRequestRejectedError
      ? new CheckoutError(
          "payment_rejected",
          `Stripe refused to create the payment link (${error.message}). The order was cancelled and its stock released; nothing was sent.`,
        )
      : new CheckoutError(
          "payment_provider_unavailable",
          "Stripe could not be reached, so no payment link was created. The order was cancelled and its stock released; nothing was sent. Try again in a moment.",
        );
  }

  await db.$transaction(async (tx) => {
    await tx.order.update({
      where: { id: order.id },
      data: { stripePaymentLinkId: link.id, paymentLinkUrl: link.url, paymentLinkActive: true, linkSentAt: new Date() },
    });
    await queueLinkEmail(tx, order.id, "first");
    await publishOrderChange(tx, order.id);
  });
  return { orderId: order.id, linkUrl: link.url };
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/**
 * Queues the email carrying the order's payment link. `sending` tells sends apart (the first,
 * or one resend per admin request), so a resend is a new email and a double submit is not.
 */
async function queueLinkEmail(tx: Tx, orderId: string, sending: string): Promise<boolean> {
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { items: true } });
  if (!order.email) return false;
  return enqueueOrderEmail(tx, {
    order: {
      id: order.id,
      currency: order.currency,
      amountTotal: order.amountTotal,
      amountRefunded: order.amountRefunded,
      items: order.items,
      paymentDueAt: order.paymentDueAt,
      paymentLinkUrl: order.paymentLinkUrl,
      note: order.note,
    },
    kind: "PAYMENT_LINK",
    to: order.email,
    dedupeKey: `${order.id}:PAYMENT_LINK:${sending}`,
  });
}

/**
 * Sends the order's payment link again (a new email, and the date it was sent), while the
 * order still waits for it. `requestId` comes from the admin's form, so a double submit
 * sends once. Returns false when the order no longer takes payment through its link.
 */
export async function resendPaymentLink(orderId: string, requestId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.order.updateMany({
      where: { id: orderId, channel: "PAYMENT_LINK", status: "PENDING", paymentLinkActive: true },
      data: { linkSentAt: new Date() },
    });
    if (updated.count !== 1) return false;
    await queueLinkEmail(tx, orderId, requestId);
    await publishOrderChange(tx, orderId);
    return true;
  });
}

/** Records that the order's link no longer takes payments (deactivated at Stripe). */
export async function markPaymentLinkInactive(orderId: string): Promise<void> {
  await db.order.updateMany({ where: { id: orderId, paymentLinkActive: true }, data: { paymentLinkActive: false } });
}

/** Orders whose link still takes payments though the order no longer waits for one. */
export async function settledOrdersWithActiveLinks(limit: number): Promise<Array<{ id: string; linkId: string }>> {
  const orders = await db.order.findMany({
    where: { paymentLinkActive: true, status: { not: "PENDING" }, stripePaymentLinkId: { not: null } },
    select: { id: true, stripePaymentLinkId: true },
    orderBy: { updatedAt: "asc" },
    take: limit,
  });
  return orders.flatMap((o) => (o.stripePaymentLinkId ? [{ id: o.id, linkId: o.stripePaymentLinkId }] : []));
}
