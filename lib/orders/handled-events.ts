import { z } from "zod";

/**
 * The Stripe event types the store acts on, in one table: which Checkout session or payment
 * each is about (how the inbox groups it for the worker) and how the shopper's timeline names it.
 */

/**
 * Which Checkout session an event is about, directly or through its payment intent, or which
 * customer's cash balance (money a bank transfer left unapplied).
 */
export type EventTarget = { sessionId: string } | { paymentIntentId: string } | { customerId: string };

/** How the order is paid, as the timeline's words depend on it. */
export type LabelMethod = "CARD" | "DIRECT_DEBIT" | "BANK_TRANSFER" | null;

/** How the pipeline handles one Stripe event type. */
export type EventHandler = {
  type: string;
  /** Reads the event's object; null when it names nothing the store can act on. */
  target(object: unknown): EventTarget | null;
  /** The shopper's timeline entry; null where the ledger tells it instead (refunds). */
  label: string | null;
  /** The entry for an order paid by bank transfer, where it differs. */
  transferLabel?: string | null;
};

const sessionObject = z.object({ id: z.string().startsWith("cs_") });
const paymentIntentRef = z.object({
  payment_intent: z.union([z.string().startsWith("pi_"), z.object({ id: z.string().startsWith("pi_") })]),
});
const paymentIntentObject = z.object({ id: z.string().startsWith("pi_") });
const transferIntentObject = z.object({
  id: z.string().startsWith("pi_"),
  payment_method_types: z.array(z.string()).nullish(),
  next_action: z.object({ type: z.string() }).nullish(),
});
const cashBalanceObject = z.object({ object: z.literal("cash_balance"), customer: z.string().startsWith("cus_") });

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

/** The event's object is a payment intent paid by bank transfer (Stripe's customer_balance). */
function transferTarget(object: unknown): EventTarget | null {
  const parsed = transferIntentObject.safeParse(object);
  if (!parsed.success) return null;
  const pi = parsed.data;
  const byTransfer =
    pi.next_action?.type === "display_bank_transfer_instructions" ||
    (pi.payment_method_types ?? []).includes("customer_balance");
  return byTransfer ? { paymentIntentId: pi.id } : null;
}

/** The event's object is a customer's cash balance. */
function cashBalanceTarget(object: unknown): EventTarget | null {
  const parsed = cashBalanceObject.safeParse(object);
  return parsed.success ? { customerId: parsed.data.customer } : null;
}

/** The event's object is a payment intent. */
function paymentIntentTarget(object: unknown): EventTarget | null {
  const parsed = paymentIntentObject.safeParse(object);
  return parsed.success ? { paymentIntentId: parsed.data.id } : null;
}

const HANDLERS: readonly EventHandler[] = [
  // The shopper finished Checkout; the payment may still be on its way (delayed methods).
  { type: "checkout.session.completed", target: sessionTarget, label: "Checkout completed" },
  // A delayed payment (a direct debit, or a bank transfer received in full) cleared.
  {
    type: "checkout.session.async_payment_succeeded",
    target: sessionTarget,
    label: "Direct debit cleared",
    transferLabel: "Bank transfer received in full",
  },
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
  // A bank transfer was set up: the shopper has the account and reference to send money to.
  {
    type: "payment_intent.requires_action",
    target: transferTarget,
    label: null,
    transferLabel: "Bank details for your transfer issued",
  },
  // Part of a bank transfer arrived; Stripe says how much is still to come.
  {
    type: "payment_intent.partially_funded",
    target: transferTarget,
    label: null,
    transferLabel: "Part of your bank transfer arrived",
  },
  // A bank transfer's payment was cancelled (the store does so at the deadline).
  { type: "payment_intent.canceled", target: transferTarget, label: null, transferLabel: "Bank transfer cancelled" },
  // Money on a customer's cash balance that no payment took: a surplus, or funds after a
  // cancellation. Shown to the admin for review.
  { type: "cash_balance.funds_available", target: cashBalanceTarget, label: null },
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

/** The shopper's timeline entry for an event, in the words of the order's payment method. */
export function timelineLabel(type: string, method: LabelMethod): string | null {
  const handler = BY_TYPE.get(type);
  if (!handler) return null;
  return method === "BANK_TRANSFER" && handler.transferLabel !== undefined ? handler.transferLabel : handler.label;
}
