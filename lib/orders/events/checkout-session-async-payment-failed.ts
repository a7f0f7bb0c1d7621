// A delayed payment failed; the shopper is emailed a link to try again.
import { type EventHandler, sessionTarget } from "./target";

export const checkoutSessionAsyncPaymentFailed: EventHandler = {
  type: "checkout.session.async_payment_failed",
  target: sessionTarget,
};
