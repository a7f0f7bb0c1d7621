import "server-only";
import { db } from "@/lib/db";
import { adminTimeline } from "@/lib/orders/timeline";

/** An order with everything the admin detail page shows, and its timeline (oldest first). */
export async function loadAdminOrder(orderId: string) {
  const order = await db.order.findUnique({
    where: { id: orderId },
    include: {
      items: { orderBy: { name: "asc" } },
      user: { select: { email: true, name: true } },
      transactions: { orderBy: { createdAt: "asc" } },
      webhookEvents: {
        orderBy: { receivedAt: "asc" },
        select: {
          stripeEventId: true,
          type: true,
          outcome: true,
          error: true,
          receivedAt: true,
          processedAt: true,
          duplicates: true,
          replays: true,
        },
      },
      emails: { orderBy: { createdAt: "asc" } },
      checkoutSessions: { orderBy: { attempt: "asc" } },
      auditLogs: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!order) return null;

  return { order, timeline: adminTimeline(order) };
}

export type AdminOrder = NonNullable<Awaited<ReturnType<typeof loadAdminOrder>>>;

/** A stored webhook event's JSON, exactly as Stripe sent it. */
export async function loadRawEvent(stripeEventId: string): Promise<unknown> {
  const row = await db.webhookEvent.findUnique({ where: { stripeEventId }, select: { payload: true } });
  return row?.payload ?? null;
}
