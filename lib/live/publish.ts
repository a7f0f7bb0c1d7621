import "server-only";
import type { Prisma } from "@/lib/db/generated/client";

export const ORDER_STATUS_CHANNEL = "order_status";

/**
 * Announces an order change on PostgreSQL's `order_status` channel from inside the
 * transaction that made it: PostgreSQL delivers the notification only if and when that
 * transaction commits, to every app instance listening. The payload names the order only;
 * listeners re-read what they may show.
 */
export async function publishOrderChange(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  await tx.$executeRaw`select pg_notify(${ORDER_STATUS_CHANNEL}, ${orderId})`;
}
