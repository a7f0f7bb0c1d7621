import "server-only";
/**
 * Who may open an order: the tokens that grant it (the checkout's own, a Stripe return link's,
 * an email's) and the one check of a presented token.
 */
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { createAccessToken, hashAccessToken } from "./access-token";
import { isUuid } from "./ids";

/** What a token does for an order: opens it, once did (its link has lapsed), or nothing. */
export type TokenAccess = "valid" | "expired" | "none";

/**
 * What a token does for an order: its checkout token, a Stripe return token, or one sent in
 * one of its emails, each until it expires. One indexed query on the token's hash, whatever
 * the answer: an unknown id and a known id with a wrong token do the same work, so timing does
 * not tell which ids exist.
 */
export async function tokenAccess(orderId: string, token: string | null | undefined): Promise<TokenAccess> {
  if (!token || token.length > 200 || !isUuid(orderId)) return "none";
  const hash = hashAccessToken(token);
  const [row] = await db.$queryRaw<Array<{ expiresAt: Date }>>`
    select greatest(
             case when o."accessTokenHash" = ${hash} then o."accessTokenExpiresAt" end,
             (select max(t."expiresAt") from "OrderAccessToken" t where t."tokenHash" = ${hash} and t."orderId" = o.id)
           ) as "expiresAt"
      from "Order" o
     where o.id = ${orderId}::uuid`;
  if (!row?.expiresAt) return "none";
  return row.expiresAt > new Date() ? "valid" : "expired";
}

/** Whether a token opens the order now. */
export async function tokenOpensOrder(orderId: string, token: string | null | undefined): Promise<boolean> {
  return (await tokenAccess(orderId, token)) === "valid";
}

/** How long a Stripe return link keeps opening its order after the checkout expires. */
const RETURN_LINK_GRACE_MS = 24 * 60 * 60_000;

/**
 * The token for a Checkout session's return URLs, made in the transaction that opens the
 * attempt: not the shopper's own token, so what Stripe stores and sends back in its events stops
 * opening the order a day after the checkout.
 */
export async function grantReturnToken(tx: Prisma.TransactionClient, orderId: string): Promise<string> {
  const { token, hash } = createAccessToken();
  const expiresAt = new Date(Date.now() + env.CHECKOUT_EXPIRES_MINUTES * 60_000 + RETURN_LINK_GRACE_MS);
  await tx.$executeRaw`
    insert into "OrderAccessToken" (id, "orderId", "tokenHash", purpose, "expiresAt")
    values (gen_random_uuid(), ${orderId}::uuid, ${hash}, 'stripe-return', ${expiresAt}::timestamp)`;
  return token;
}

/** The token for the links of one email as it is sent, stored hashed, for as long as such links last. */
export async function grantEmailToken(tx: Prisma.TransactionClient, orderId: string, kind: string): Promise<string> {
  const { token, hash } = createAccessToken();
  await tx.$executeRaw`
    insert into "OrderAccessToken" (id, "orderId", "tokenHash", purpose)
    values (gen_random_uuid(), ${orderId}::uuid, ${hash}, ${`email:${kind}`})`;
  return token;
}

/**
 * The token in a payment link's way back to the order page, made with the order: Stripe keeps
 * it on the link, so it opens the order only until a day after the link's deadline.
 */
export async function grantLinkReturnToken(
  tx: Prisma.TransactionClient,
  orderId: string,
  dueAt: Date,
): Promise<string> {
  const { token, hash } = createAccessToken();
  const expiresAt = new Date(dueAt.getTime() + RETURN_LINK_GRACE_MS);
  await tx.$executeRaw`
    insert into "OrderAccessToken" (id, "orderId", "tokenHash", purpose, "expiresAt")
    values (gen_random_uuid(), ${orderId}::uuid, ${hash}, 'payment-link-return', ${expiresAt}::timestamp)`;
  return token;
}
