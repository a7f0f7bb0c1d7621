import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import type { CheckoutSnapshot } from "@/lib/payments/types";

/**
 * Checkout sessions the store did not create: those a customer opens by following the Payment
 * Link an admin sent. Such a session belongs to the order whose link opened it (its
 * `payment_link`), never to an order it merely names in its metadata, and Stripe need not copy
 * the link's metadata onto it at all.
 */

/** The order a Payment Link was created for; null when the link is not one of this store's. */
export async function orderForPaymentLink(linkId: string): Promise<string | null> {
  const order = await db.order.findUnique({ where: { stripePaymentLinkId: linkId }, select: { id: true } });
  return order?.id ?? null;
}

type LinkOrder = {
  id: string;
  status: string;
  paymentStatus: string;
  stripePaymentLinkId: string | null;
  stripeCheckoutSessionId: string | null;
  checkoutAttempt: number;
};

/**
 * Records the sessions of the order's own link as its next attempts, in the settling
 * transaction, so they are known like the store's own. A completed one becomes the order's
 * current session while nothing has completed before it (the order is unpaid and awaits no
 * debit); otherwise it stays an earlier attempt, which can only bring good news (and a second
 * payment is caught). Returns the order's current session and attempt afterwards.
 */
export async function adoptLinkSessions(
  tx: Prisma.TransactionClient,
  order: LinkOrder,
  snapshots: ReadonlyArray<CheckoutSnapshot | null>,
): Promise<Pick<LinkOrder, "stripeCheckoutSessionId" | "checkoutAttempt">> {
  let current = { stripeCheckoutSessionId: order.stripeCheckoutSessionId, checkoutAttempt: order.checkoutAttempt };
  if (!order.stripePaymentLinkId) return current;
  // As the order was before this batch: the first completed session of a batch is its payment.
  let nothingCompleted =
    !order.stripeCheckoutSessionId || (order.status === "PENDING" && order.paymentStatus === "UNPAID");
  for (const snapshot of snapshots) {
    if (!snapshot || snapshot.paymentLinkId !== order.stripePaymentLinkId) continue;
    const [row] = await tx.$queryRaw<Array<{ attempt: number; inserted: boolean }>>`
      with existing as (select attempt from "CheckoutSession" where id = ${snapshot.sessionId}),
      added as (
        insert into "CheckoutSession" (id, "orderId", attempt, "expiresAt")
        select ${snapshot.sessionId}, ${order.id}::uuid,
               coalesce((select max(attempt) from "CheckoutSession" where "orderId" = ${order.id}::uuid),
                        ${order.checkoutAttempt - 1}) + 1,
               coalesce((select "paymentDueAt" from "Order" where id = ${order.id}::uuid), now())
         where not exists (select 1 from existing)
        returning attempt)
      select attempt, true as inserted from added
      union all select attempt, false from existing`;
    if (row && snapshot.status === "complete" && nothingCompleted) {
      nothingCompleted = false;
      if (current.stripeCheckoutSessionId === snapshot.sessionId) continue;
      current = { stripeCheckoutSessionId: snapshot.sessionId, checkoutAttempt: row.attempt };
      await tx.$executeRaw`
        update "Order" set "stripeCheckoutSessionId" = ${snapshot.sessionId}, "checkoutAttempt" = ${row.attempt},
                           "updatedAt" = now()
         where id = ${order.id}::uuid`;
    }
  }
  return current;
}
