import "server-only";
import { db } from "@/lib/db";
import { hashAccessToken } from "./access-token";
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
