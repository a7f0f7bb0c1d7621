import "server-only";
import { db } from "@/lib/db";
import { retrievePaymentSnapshot } from "@/lib/payments/checkout-sessions";
import { applyCheckoutSnapshot } from "./fulfillment";

/** How long after the shopper's return the worker asks Stripe: the webhook usually wins by then. */
export const SETTLE_REQUEST_DELAY_MS = 2_000;
/** One check with Stripe per order at most this often, however often its success page is loaded. */
export const SETTLE_CHECK_INTERVAL_MS = 10_000;

/**
 * The shopper is back from Checkout and the order is still unpaid: ask the worker to settle
 * it, through the same rate-budgeted path as webhook events. Only for the order's own current
 * session, only while nothing is known about its payment, and at most once per interval, so
 * no visitor can make the store call Stripe by loading success pages. True if a check was asked.
 */
export async function requestSettle(orderId: string, sessionId: string): Promise<boolean> {
  const asked = await db.$executeRaw`
    update "Order" set "settleRequestedAt" = now() + ${SETTLE_REQUEST_DELAY_MS} * interval '1 millisecond'
     where id = ${orderId}::uuid and "stripeCheckoutSessionId" = ${sessionId}
       and status = 'PENDING' and "paymentStatus" = 'UNPAID' and "settleRequestedAt" is null
       and ("settleCheckedAt" is null
            or "settleCheckedAt" < now() - ${SETTLE_CHECK_INTERVAL_MS} * interval '1 millisecond')`;
  return asked === 1;
}

/**
 * Takes the next due settle request and, if the order is still unpaid and no event about its
 * session waits in the inbox, reads the session from Stripe once and applies it. Null when
 * nothing is due; otherwise whether Stripe was read.
 */
export async function settleNextRequest(): Promise<{ orderId: string; read: boolean } | null> {
  const [claimed] = await db.$queryRaw<Array<{ id: string; sessionId: string | null; unpaid: boolean }>>`
    update "Order" o set "settleRequestedAt" = null, "settleCheckedAt" = now()
      from (select id from "Order" where "settleRequestedAt" <= now()
             order by "settleRequestedAt" limit 1 for update skip locked) due
     where o.id = due.id
    returning o.id, o."stripeCheckoutSessionId" as "sessionId",
              (o.status = 'PENDING' and o."paymentStatus" = 'UNPAID') as unpaid`;
  if (!claimed) return null;
  if (!claimed.sessionId || !claimed.unpaid) return { orderId: claimed.id, read: false };
  const waiting = await db.webhookEvent.count({
    where: { settleKey: claimed.sessionId, processedAt: null, outcome: "RECEIVED" },
  });
  if (waiting > 0) return { orderId: claimed.id, read: false };
  await applyCheckoutSnapshot(await retrievePaymentSnapshot(claimed.sessionId));
  return { orderId: claimed.id, read: true };
}
