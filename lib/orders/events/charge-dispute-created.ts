// The shopper's bank opened a dispute; the order is flagged.
import { type EventHandler, paymentIntentRefTarget } from "./target";

export const chargeDisputeCreated: EventHandler = { type: "charge.dispute.created", target: paymentIntentRefTarget };
