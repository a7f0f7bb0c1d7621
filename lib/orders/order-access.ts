import "server-only";
import { db } from "@/lib/db";
import { hashAccessToken } from "./access-token";
import { isUuid } from "./ids";

/**
 * Whether a token opens an order: its checkout token, or one sent in one of its emails. One
 * indexed query on the token's hash, whatever the answer: an unknown id and a known id with a
 * wrong token do the same work, so timing does not tell which ids exist.
 */
export async function tokenOpensOrder(orderId: string, token: string | null | undefined): Promise<boolean> {
  if (!token || token.length > 200 || !isUuid(orderId)) return false;
  const hash = hashAccessToken(token);
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    select o.id from "Order" o
     where o.id = ${orderId}::uuid
       and (o."accessTokenHash" = ${hash}
            or exists (select 1 from "OrderAccessToken" t where t."tokenHash" = ${hash} and t."orderId" = o.id))`;
  return rows.length === 1;
}
