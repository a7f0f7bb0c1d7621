import { z } from "zod";

/** Which Checkout session an event is about, directly or through its payment intent. */
export type EventTarget = { sessionId: string } | { paymentIntentId: string };

/** How the pipeline handles one Stripe event type. */
export type EventHandler = {
  type: string;
  /** Reads the event's object; null when it names nothing the store can act on. */
  target(object: unknown): EventTarget | null;
};

const sessionObject = z.object({ id: z.string().startsWith("cs_") });
const paymentIntentRef = z.object({
  payment_intent: z.union([z.string().startsWith("pi_"), z.object({ id: z.string().startsWith("pi_") })]),
});
const paymentIntentObject = z.object({ id: z.string().startsWith("pi_") });

/** The event's object is a Checkout session. */
export function sessionTarget(object: unknown): EventTarget | null {
  const parsed = sessionObject.safeParse(object);
  return parsed.success ? { sessionId: parsed.data.id } : null;
}

/** The event's object (a charge, refund or dispute) points at a payment intent. */
export function paymentIntentRefTarget(object: unknown): EventTarget | null {
  const parsed = paymentIntentRef.safeParse(object);
  if (!parsed.success) return null;
  const ref = parsed.data.payment_intent;
  return { paymentIntentId: typeof ref === "string" ? ref : ref.id };
}

/** The event's object is a payment intent. */
export function paymentIntentTarget(object: unknown): EventTarget | null {
  const parsed = paymentIntentObject.safeParse(object);
  return parsed.success ? { paymentIntentId: parsed.data.id } : null;
}
