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
  // Raw SQL: this runs inside every settling transaction that sends an email (see fulfillment).
  const { token, hash } = createAccessToken();
  const links = { status: orderStatusUrl(input.order.id, token), retry: orderRetryUrl(input.order.id, token) };
  const email = renderEmail(input.kind, input.order, links);
  const inserted = await tx.$executeRaw`
    insert into "EmailOutbox" (id, "dedupeKey", "orderId", kind, "to", subject, text, html)
    values (gen_random_uuid(), ${input.dedupeKey}, ${input.order.id}::uuid, ${input.kind}::"EmailKind", ${input.to},
            ${email.subject}, ${email.text}, ${email.html})
    on conflict ("dedupeKey") do nothing`;
  if (inserted === 0) return false;
  await tx.$executeRaw`
    insert into "OrderAccessToken" (id, "orderId", "tokenHash", purpose)
    values (gen_random_uuid(), ${input.order.id}::uuid, ${hash}, ${`email:${input.kind}`})`;
  return true;
}
