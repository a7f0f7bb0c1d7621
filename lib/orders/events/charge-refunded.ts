// Money went back to the shopper, in full or in part.
import { type EventHandler, paymentIntentRefTarget } from "./target";

export const chargeRefunded: EventHandler = { type: "charge.refunded", target: paymentIntentRefTarget };
