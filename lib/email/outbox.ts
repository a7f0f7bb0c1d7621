import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { createAccessToken } from "@/lib/orders/access-token";
import { orderRetryUrl, orderStatusUrl } from "@/lib/orders/links";
import { type EmailKind, type EmailOrder, renderEmail } from "./templates";

type Tx = Prisma.TransactionClient;

/**
 * Writes an email into the outbox inside the caller's transaction, at most once per dedupe
 * key. It is sent after commit by the drainer, so a rolled-back change never emails anyone.
 * Each email carries its own order access token (stored hashed) for its links.
 */
export async function enqueueOrderEmail(
  tx: Tx,
  input: { order: EmailOrder; kind: EmailKind; to: string; dedupeKey: string },
): Promise<boolean> {
  const existing = await tx.emailOutbox.findUnique({ where: { dedupeKey: input.dedupeKey }, select: { id: true } });
  if (existing) return false;
  const { token, hash } = createAccessToken();
  await tx.orderAccessToken.create({
    data: { orderId: input.order.id, tokenHash: hash, purpose: `email:${input.kind}` },
  });
  const links = { status: orderStatusUrl(input.order.id, token), retry: orderRetryUrl(input.order.id, token) };
  const email = renderEmail(input.kind, input.order, links);
  await tx.emailOutbox.create({
    data: { dedupeKey: input.dedupeKey, orderId: input.order.id, kind: input.kind, to: input.to, ...email },
  });
  return true;
}
