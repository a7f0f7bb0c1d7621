// The shopper finished Checkout; the payment may still be on its way (delayed methods).
import { type EventHandler, sessionTarget } from "./target";

export const checkoutSessionCompleted: EventHandler = { type: "checkout.session.completed", target: sessionTarget };
