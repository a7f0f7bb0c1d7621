import { z } from "zod";
import { timestamp } from "./common";

/** The event types the emulator sends, named as Stripe names them. */
export const eventTypeSchema = z.enum([
  "cash_balance.funds_available",
  "charge.dispute.closed",
  "charge.dispute.created",
  "charge.dispute.funds_reinstated",
  "charge.dispute.funds_withdrawn",
  "charge.failed",
  "charge.pending",
  "charge.refunded",
  "charge.succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.completed",
  "checkout.session.expired",
  "customer.created",
  "customer.deleted",
  "customer.updated",
  "customer_cash_balance_transaction.created",
  "payment_intent.canceled",
  "payment_intent.created",
  "payment_intent.partially_funded",
  "payment_intent.payment_failed",
  "payment_intent.processing",
  "payment_intent.requires_action",
  "payment_intent.succeeded",
  "payment_link.created",
  "payment_link.updated",
  "price.created",
  "product.created",
  "refund.created",
]);
export type EventType = z.infer<typeof eventTypeSchema>;

export const stripeEventSchema = z.object({
  id: z.string(),
  object: z.literal("event"),
  api_version: z.string(),
  created: timestamp,
  // `previous_attributes` only on `*.updated` events: the changed fields' values before the change.
  data: z.object({
    object: z.record(z.string(), z.unknown()),
    previous_attributes: z.record(z.string(), z.unknown()).optional(),
  }),
  livemode: z.literal(false),
  pending_webhooks: z.number().int(),
  request: z.object({ id: z.string().nullable(), idempotency_key: z.string().nullable() }),
  type: eventTypeSchema,
});
export type StripeEvent = z.infer<typeof stripeEventSchema>;

/** `createdAtMs` is real wall-clock time, kept to measure delivery latency. */
export const eventRecordSchema = z.object({ event: stripeEventSchema, createdAtMs: z.number() });
export type EventRecord = z.infer<typeof eventRecordSchema>;

export const deliveryStatusSchema = z.enum(["queued", "sending", "retry_scheduled", "succeeded", "failed", "dropped"]);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const deliveryRecordSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  endpointId: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number().int(),
  /** Copies sent by the `duplicate` knob do not count towards an event's delivery success. */
  duplicate: z.boolean(),
  nextAttemptAtMs: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type DeliveryRecord = z.infer<typeof deliveryRecordSchema>;

export const deliveryAttemptSchema = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  endpoint_id: z.string(),
  endpoint_url: z.string(),
  attempt: z.number().int(),
  duplicate: z.boolean(),
  outcome: z.enum(["succeeded", "failed", "dropped"]),
  status_code: z.number().int().nullable(),
  latency_ms: z.number(),
  response_snippet: z.string().nullable(),
  error: z.string().nullable(),
  timestamp: z.string(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

export const settlementSchema = z.object({
  paymentIntentId: z.string(),
  sessionId: z.string().nullable(),
  outcome: z.enum(["succeeded", "failed"]),
  dueAtMs: z.number(),
});
export type Settlement = z.infer<typeof settlementSchema>;

export const idempotencyEntrySchema = z.object({
  key: z.string(),
  fingerprint: z.string(),
  status: z.number().int(),
  body: z.string(),
  requestId: z.string(),
  createdAtMs: z.number(),
});
export type IdempotencyEntry = z.infer<typeof idempotencyEntrySchema>;
