import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { createAccessToken } from "@/lib/orders/access-token";
import { orderRetryUrl, orderStatusUrl } from "@/lib/orders/links";
import { type EmailKind, type EmailOrder, renderEmail } from "./templates";

type Tx = Prisma.TransactionClient;

/**
 * Stands in for the access token in a queued email's links. The drainer puts a fresh token in
 * as it sends, so the stored body holds no working link for a database reader to reuse.
 */
export const LINK_TOKEN_PLACEHOLDER = "__order_link_token__";

/**
 * Writes an email into the outbox inside the caller's transaction, at most once per dedupe
 * key. It is sent after commit by the drainer, so a rolled-back change never emails anyone.
 * Its links get their own order access token (stored hashed) when it is sent.
 */
export async function enqueueOrderEmail(
  tx: Tx,
  input: { order: EmailOrder; kind: EmailKind; to: string; dedupeKey: string },
): Promise<boolean> {
  // Raw SQL: this runs inside every settling transaction that sends an email (see fulfillment).
  const token = LINK_TOKEN_PLACEHOLDER;
  const links = { status: orderStatusUrl(input.order.id, token), retry: orderRetryUrl(input.order.id, token) };
  const email = renderEmail(input.kind, input.order, links);
  const inserted = await tx.$executeRaw`
    insert into "EmailOutbox" (id, "dedupeKey", "orderId", kind, "to", subject, text, html)
    values (gen_random_uuid(), ${input.dedupeKey}, ${input.order.id}::uuid, ${input.kind}::"EmailKind", ${input.to},
            ${email.subject}, ${email.text}, ${email.html})
    on conflict ("dedupeKey") do nothing`;
  return inserted === 1;
}

/**
 * The email as it goes out: a fresh access token (stored hashed, with its lifetime) in place of
 * the placeholder. Bodies without the placeholder (no links, or queued before) go as they are.
 */
export async function withLinkToken<T extends { text: string; html: string }>(
  tx: Tx,
  email: T & { orderId: string | null; kind: string },
): Promise<T> {
  if (!email.orderId || !(email.text.includes(LINK_TOKEN_PLACEHOLDER) || email.html.includes(LINK_TOKEN_PLACEHOLDER)))
    return email;
  const { token, hash } = createAccessToken();
  await tx.$executeRaw`
    insert into "OrderAccessToken" (id, "orderId", "tokenHash", purpose)
    values (gen_random_uuid(), ${email.orderId}::uuid, ${hash}, ${`email:${email.kind}`})`;
  return {
    ...email,
    text: email.text.replaceAll(LINK_TOKEN_PLACEHOLDER, token),
    html: email.html.replaceAll(LINK_TOKEN_PLACEHOLDER, token),
  };
}
