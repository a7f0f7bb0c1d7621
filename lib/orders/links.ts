/**
 * Every address of a shopper's order, built in one place: its page, what the page posts to and
 * reads from, and Stripe's way back. Each carries the token that opens the order. Pure (no
 * configuration), so pages, browser components and emails build them alike; the absolute ones
 * take the store's address (APP_URL).
 */

const tokenQuery = (token: string) => `token=${encodeURIComponent(token)}`;

/** The shopper's order page: the capability URL returned by checkout and linked from emails. */
export function orderPagePath(orderId: string, token: string): string {
  return `/orders/${orderId}?${tokenQuery(token)}`;
}

/** The order page after a fresh link was asked for, saying that it is on its way. */
export function orderLinkSentPath(orderId: string, token: string): string {
  return `${orderPagePath(orderId, token)}&link=sent`;
}

/** Resumes or retries the order's checkout (a form post). */
export function orderCheckoutPath(orderId: string, token: string): string {
  return `/api/orders/${orderId}/checkout?${tokenQuery(token)}`;
}

/** Asks for a fresh link by email (a form post from a lapsed link's page). */
export function orderFreshLinkPath(orderId: string, token: string): string {
  return `/api/orders/${orderId}/link?${tokenQuery(token)}`;
}

/** The order as JSON, for the shopper's page to poll. */
export function orderApiPath(orderId: string, token: string): string {
  return `/api/orders/${orderId}?${tokenQuery(token)}`;
}

/** The order's live status stream. */
export function orderEventsPath(orderId: string, token: string): string {
  return `/api/orders/${orderId}/events?${tokenQuery(token)}`;
}

/** The order page, absolute, as emails and the checkout's answer give it. */
export function orderStatusUrl(appUrl: string, orderId: string, token: string): string {
  return `${appUrl}${orderPagePath(orderId, token)}`;
}

/** The order page scrolled to its "try again" action. */
export function orderRetryUrl(appUrl: string, orderId: string, token: string): string {
  return `${orderStatusUrl(appUrl, orderId, token)}#try-again`;
}

/** Where Stripe's Checkout sends the shopper back, paid or not; `token` is the return link's own. */
export function checkoutReturnUrls(
  appUrl: string,
  orderId: string,
  token: string,
): { successUrl: string; cancelUrl: string } {
  const query = `order=${orderId}&${tokenQuery(token)}`;
  return {
    successUrl: `${appUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}&${query}`,
    cancelUrl: `${appUrl}/checkout/cancelled?${query}`,
  };
}

/** An order's page in the admin. */
export function adminOrderPath(orderId: string): string {
  return `/admin/orders/${orderId}`;
}
