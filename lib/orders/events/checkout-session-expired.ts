// The session closed unpaid; its reserved stock returns to the shelf.
import { type EventHandler, sessionTarget } from "./target";

export const checkoutSessionExpired: EventHandler = { type: "checkout.session.expired", target: sessionTarget };
