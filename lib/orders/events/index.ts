import { chargeDisputeClosed } from "./charge-dispute-closed";
import { chargeDisputeCreated } from "./charge-dispute-created";
import { chargeRefunded } from "./charge-refunded";
import { checkoutSessionAsyncPaymentFailed } from "./checkout-session-async-payment-failed";
import { checkoutSessionAsyncPaymentSucceeded } from "./checkout-session-async-payment-succeeded";
import { checkoutSessionCompleted } from "./checkout-session-completed";
import { checkoutSessionExpired } from "./checkout-session-expired";
import { paymentIntentPaymentFailed } from "./payment-intent-payment-failed";
import type { EventHandler } from "./target";

export type { EventHandler, EventTarget } from "./target";

const HANDLERS: readonly EventHandler[] = [
  checkoutSessionCompleted,
  checkoutSessionAsyncPaymentSucceeded,
  checkoutSessionAsyncPaymentFailed,
  checkoutSessionExpired,
  chargeRefunded,
  chargeDisputeCreated,
  chargeDisputeClosed,
  paymentIntentPaymentFailed,
];

const BY_TYPE = new Map(HANDLERS.map((h) => [h.type, h]));

/** The event types the store subscribes to (for the Stripe dashboard and the reconciler). */
export const HANDLED_EVENT_TYPES = HANDLERS.map((h) => h.type);

/** The handler for an event type, or undefined for types the store ignores. */
export function handlerFor(type: string): EventHandler | undefined {
  return BY_TYPE.get(type);
}
