// An attempt to pay failed; recorded on the order's timeline.
import { type EventHandler, paymentIntentTarget } from "./target";

export const paymentIntentPaymentFailed: EventHandler = {
  type: "payment_intent.payment_failed",
  target: paymentIntentTarget,
};
