// A dispute ended, won or lost.
import { type EventHandler, paymentIntentRefTarget } from "./target";

export const chargeDisputeClosed: EventHandler = { type: "charge.dispute.closed", target: paymentIntentRefTarget };
