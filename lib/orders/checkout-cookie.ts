import "server-only";
import { env } from "@/lib/env";
import type { PlacedOrder, PreviousCheckout } from "./place-order";

/**
 * The browser's latest checkout, so that coming back to the cart and checking out again
 * resumes it (or replaces it) instead of holding stock twice. HttpOnly, sent only to the
 * checkout route, and gone when the checkout would have expired.
 */
const COOKIE = "storefront_checkout";

export function previousCheckoutCookie(placed: Pick<PlacedOrder, "orderId" | "token">): string {
  const secure = env.APP_URL.startsWith("https://") ? "; Secure" : "";
  return `${COOKIE}=${placed.orderId}.${placed.token}; Path=/api/checkout; Max-Age=${env.CHECKOUT_EXPIRES_MINUTES * 60}; HttpOnly; SameSite=Lax${secure}`;
}

/** The previous checkout named by the request's cookie, if it carries a well-formed one. */
export function readPreviousCheckout(cookieHeader: string | null): PreviousCheckout | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name !== COOKIE) continue;
    const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{16,128})$/.exec(rest.join("="));
    return match ? { orderId: match[1] as string, token: match[2] as string } : null;
  }
  return null;
}
