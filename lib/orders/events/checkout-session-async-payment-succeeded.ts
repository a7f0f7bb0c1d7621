// A delayed payment (bank debit) cleared.
import { type EventHandler, sessionTarget } from "./target";

export const checkoutSessionAsyncPaymentSucceeded: EventHandler = {
  type: "checkout.session.async_payment_succeeded",
  target: sessionTarget,
};
