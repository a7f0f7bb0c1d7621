import { z } from "zod";

/**
 * The Stripe event types the store acts on, in one table: which Checkout session or payment
 * each is about (how the inbox groups it for the worker) and how the shopper's timeline names it.
 */

/** Which Checkout session an event is about, directly or through its payment intent. */
export type EventTarget = { sessionId: string } | { paymentIntentId: string };

/** How the pipeline handles one Stripe event type. */
export type EventHandler = {
  type: string;
  /** Reads the event's object; null when it names nothing the store can act on. */
  target(object: unknown): EventTarget | null;
  /** The shopper's timeline entry; null where the ledger tells it instead (refunds). */
  label: string | null;
};

const sessionObject = z.object({ id: z.string().startsWith("cs_") });
const paymentIntentRef = z.object({
  payment_intent: z.union([z.string().startsWith("pi_"), z.object({ id: z.string().startsWith("pi_") })]),
});
const paymentIntentObject = z.object({ id: z.string().startsWith("pi_") });

/** The event's object is a Checkout session. */
function sessionTarget(object: unknown): EventTarget | null {
  const parsed = sessionObject.safeParse(object);
  return parsed.success ? { sessionId: parsed.data.id } : null;
}

/** The event's object (a charge, refund or dispute) points at a payment intent. */
function paymentIntentRefTarget(object: unknown): EventTarget | null {
  const parsed = paymentIntentRef.safeParse(object);
  if (!parsed.success) return null;
  const ref = parsed.data.payment_intent;
  return { paymentIntentId: typeof ref === "string" ? ref : ref.id };
}

/** The event's object is a payment intent. */
function paymentIntentTarget(object: unknown): EventTarget | null {
  const parsed = paymentIntentObject.safeParse(object);
  return parsed.success ? { paymentIntentId: parsed.data.id } : null;
}

const HANDLERS: readonly EventHandler[] = [
  // The shopper finished Checkout; the payment may still be on its way (delayed methods).
  { type: "checkout.session.completed", target: sessionTarget, label: "Checkout completed" },
  // A delayed payment (a SEPA Direct Debit) cleared.
  { type: "checkout.session.async_payment_succeeded", target: sessionTarget, label: "Direct debit cleared" },
  // A delayed payment failed; the shopper is emailed a link to try again.
  { type: "checkout.session.async_payment_failed", target: sessionTarget, label: "Direct debit failed" },
  // The session closed unpaid; its reserved stock returns to the shelf.
  { type: "checkout.session.expired", target: sessionTarget, label: "Checkout expired" },
  // Money went back to the shopper, in full or in part (the ledger's refund row names the amount).
  { type: "charge.refunded", target: paymentIntentRefTarget, label: null },
  // The shopper's bank opened a dispute; the order is flagged.
  { type: "charge.dispute.created", target: paymentIntentRefTarget, label: "The payment was disputed" },
  // A dispute ended, won or lost.
  { type: "charge.dispute.closed", target: paymentIntentRefTarget, label: "The dispute was closed" },
  // An attempt to pay failed; recorded on the order's timeline.
  { type: "payment_intent.payment_failed", target: paymentIntentTarget, label: "A payment attempt was declined" },
];

const BY_TYPE = new Map(HANDLERS.map((h) => [h.type, h]));

/** The event types the store subscribes to (for the Stripe dashboard and the reconciler). */
export const HANDLED_EVENT_TYPES = HANDLERS.map((h) => h.type);

/** The handler for an event type, or undefined for types the store ignores. */
export function handlerFor(type: string): EventHandler | undefined {
  return BY_TYPE.get(type);
}
