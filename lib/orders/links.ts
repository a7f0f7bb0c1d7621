import "server-only";
import { env } from "@/lib/env";

/** The shopper's order page: the capability URL returned by checkout and linked from emails. */
export function orderStatusUrl(orderId: string, token: string): string {
  return `${env.APP_URL}/orders/${orderId}?token=${encodeURIComponent(token)}`;
}

/** The order page scrolled to its "try again" action. */
export function orderRetryUrl(orderId: string, token: string): string {
  return `${orderStatusUrl(orderId, token)}#try-again`;
}
