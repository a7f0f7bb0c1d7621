import "server-only";
import { db } from "@/lib/db";
import { enqueueOrderEmail } from "./notifications";
import { tokenAccess } from "./order-access";

/**
 * A shopper whose link has lapsed asks for a fresh one: any token that ever opened the order
 * (even expired) may ask, and the link goes only to the order's own email address, at most once
 * an hour. False when the token never opened this order; otherwise the same answer whether or
 * not the order has an email, so the page tells nothing about it.
 */
export async function sendFreshLink(orderId: string, token: string | null): Promise<boolean> {
  if ((await tokenAccess(orderId, token)) === "none") return false;
  const order = await db.order.findUnique({ where: { id: orderId }, include: { items: true } });
  if (!order?.email) return true;
  const to = order.email;
  await db.$transaction((tx) =>
    enqueueOrderEmail(tx, {
      order: {
        id: order.id,
        currency: order.currency,
        amountTotal: order.amountTotal,
        amountRefunded: order.amountRefunded,
        items: order.items,
      },
      kind: "ORDER_LINK",
      to,
      dedupeKey: `link:${order.id}:${Math.floor(Date.now() / 3_600_000)}`,
    }),
  );
  return true;
}
