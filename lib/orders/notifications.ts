import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { type DueEmail, enqueueEmail } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import { type EmailOrder, renderEmail } from "./email-templates";
import { orderRetryUrl, orderStatusUrl } from "./links";
import { grantEmailToken } from "./order-access";
import type { EmailKind, PaymentEmailKind } from "./state-machine";

type Tx = Prisma.TransactionClient;

/**
 * Stands in for the access token in a queued email's links. The outbox puts a fresh token in
 * as it sends, so the stored body holds no working link for a database reader to reuse.
 */
export const LINK_TOKEN_PLACEHOLDER = "__order_link_token__";

/**
 * Queues an email about an order inside the caller's transaction, at most once per dedupe key.
 * Its links get their own order access token (stored hashed) when it is sent.
 */
export async function enqueueOrderEmail(
  tx: Tx,
  input: { order: EmailOrder; kind: EmailKind; to: string; dedupeKey: string },
): Promise<boolean> {
  const token = LINK_TOKEN_PLACEHOLDER;
  const links = {
    status: orderStatusUrl(env.APP_URL, input.order.id, token),
    retry: orderRetryUrl(env.APP_URL, input.order.id, token),
  };
  const email = renderEmail(input.kind, input.order, links);
  return enqueueEmail(tx, {
    kind: input.kind,
    to: input.to,
    dedupeKey: input.dedupeKey,
    orderId: input.order.id,
    ...email,
  });
}

/** An order as its payment emails need it. */
export type OrderForEmail = EmailOrder & { checkoutAttempt: number };

/** Emails of the payment flow go once per checkout attempt; the others once per order. */
function dedupeKey(order: OrderForEmail, kind: EmailKind): string {
  return kind === "AWAITING_PAYMENT" || kind === "PAYMENT_FAILED"
    ? `${order.id}:${kind}:${order.checkoutAttempt}`
    : `${order.id}:${kind}`;
}

/** Queues the bank transfer's instructions, once per order, when Stripe first issues them. */
export async function enqueueTransferInstructions(tx: Tx, order: OrderForEmail, to: string): Promise<void> {
  await enqueueOrderEmail(tx, {
    order,
    kind: "TRANSFER_INSTRUCTIONS",
    to,
    dedupeKey: dedupeKey(order, "TRANSFER_INSTRUCTIONS"),
  });
}

/** Queues the emails the state machine decided on, in the settling transaction. */
export async function enqueuePaymentEmails(
  tx: Tx,
  order: OrderForEmail,
  to: string,
  kinds: readonly PaymentEmailKind[],
): Promise<void> {
  for (const kind of kinds) await enqueueOrderEmail(tx, { order, kind, to, dedupeKey: dedupeKey(order, kind) });
}

/**
 * The email as it goes out: a fresh access token (stored hashed, with its lifetime) in place of
 * the placeholder. Bodies without the placeholder (no links, or queued before) go as they are.
 * Whatever drains the outbox hands this to it (`drainOutbox({ beforeSend: withLinkToken })`).
 */
export async function withLinkToken(tx: Tx, email: DueEmail): Promise<{ text: string; html: string }> {
  if (!email.orderId || !(email.text.includes(LINK_TOKEN_PLACEHOLDER) || email.html.includes(LINK_TOKEN_PLACEHOLDER)))
    return email;
  const token = await grantEmailToken(tx, email.orderId, email.kind);
  return {
    text: email.text.replaceAll(LINK_TOKEN_PLACEHOLDER, token),
    html: email.html.replaceAll(LINK_TOKEN_PLACEHOLDER, token),
  };
}
