import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { findCheckoutSessionId, retrieveCheckoutSnapshot } from "@/lib/payments/checkout";
import { PaymentRequestRejectedError } from "@/lib/payments/errors";
import type { VerifiedEvent } from "@/lib/payments/types";
import { reshapeEvent, verifyWebhookEvent, WebhookSignatureError } from "@/lib/payments/webhooks";
import { handlerFor, type EventTarget } from "./events";
import { applyCheckoutSnapshot } from "./fulfillment";

export type EventOutcome = "processed" | "duplicate" | "ignored";

export type WebhookResponse = {
  status: 200 | 400 | 500;
  body: { received: boolean; outcome?: EventOutcome; error?: string };
};

let rejectedSignatures = 0;

/** Deliveries refused for a missing, wrong or stale signature since this process started. */
export function rejectedSignatureCount(): number {
  return rejectedSignatures;
}

/**
 * Handles one webhook delivery: verify the signature over the raw body, record the event in
 * the inbox, apply it once. 2xx for processed, duplicate, ignored and unknown events; 400 for
 * bad signatures (nothing is stored); 500 when the change could not be committed, so Stripe
 * delivers it again.
 */
export async function receiveWebhook(rawBody: string, signature: string | null): Promise<WebhookResponse> {
  let event: VerifiedEvent;
  try {
    event = verifyWebhookEvent(rawBody, signature);
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    rejectedSignatures += 1;
    console.warn(`[webhook] rejected delivery: ${error.message} (total ${rejectedSignatures})`);
    return { status: 400, body: { received: false, error: "invalid signature" } };
  }
  try {
    const outcome = await processEvent(event);
    return { status: 200, body: { received: true, outcome } };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
    console.error(`[webhook] ${event.type} ${event.id} failed: ${message}`);
    await recordFailure(event.id, message).catch(() => undefined);
    return { status: 500, body: { received: false, error: "processing failed; retry later" } };
  }
}

/**
 * Runs a verified event through the inbox and the single transition service. Used by the
 * webhook, the reconciler and admin replay alike.
 */
export async function processEvent(event: VerifiedEvent): Promise<EventOutcome> {
  const inbox = await db.webhookEvent.upsert({
    where: { stripeEventId: event.id },
    create: {
      stripeEventId: event.id,
      type: event.type,
      apiVersion: event.apiVersion,
      livemode: event.livemode,
      payload: event.payload as Prisma.InputJsonValue,
      stripeCreatedAt: event.created,
      attempts: 1,
    },
    update: { attempts: { increment: 1 } },
    select: { processedAt: true },
  });
  if (inbox.processedAt) return markDuplicate(event.id);

  const session = await sessionOf(event);
  if ("ignored" in session) return markIgnored(event.id, session.ignored);
  const snapshot = await retrieveCheckoutSnapshot(session.id).catch((error: unknown) => {
    // A session Stripe does not know (deleted test data, another account's event) is not ours.
    if (error instanceof PaymentRequestRejectedError && error.code === "resource_missing") return null;
    throw error;
  });
  if (!snapshot) return markIgnored(event.id, `Stripe has no checkout session ${session.id}`);
  const result = await applyCheckoutSnapshot(snapshot, { eventId: event.id });
  if (result.outcome === "ignored") return markIgnored(event.id, result.reason);
  return result.outcome === "duplicate" ? markDuplicate(event.id) : "processed";
}

/**
 * Runs a stored event through the pipeline again (admin "replay"). An event never applied is
 * processed as if it had just arrived; one already applied re-applies Stripe's current truth
 * for its order, which changes nothing unless the order had drifted. Null for unknown ids.
 */
export async function replayStoredEvent(stripeEventId: string): Promise<EventOutcome | null> {
  const row = await db.webhookEvent.findUnique({
    where: { stripeEventId },
    select: { payload: true, processedAt: true },
  });
  if (!row) return null;
  await db.webhookEvent.update({ where: { stripeEventId }, data: { replays: { increment: 1 } } });
  const event = reshapeEvent(row.payload);
  if (!row.processedAt) return processEvent(event);
  const session = await sessionOf(event);
  if ("ignored" in session) return "ignored";
  const result = await applyCheckoutSnapshot(await retrieveCheckoutSnapshot(session.id));
  return result.outcome === "ignored" ? "ignored" : "processed";
}

/** The Checkout session an event is about, or why it is not one of ours. */
async function sessionOf(event: VerifiedEvent): Promise<{ id: string } | { ignored: string }> {
  const handler = handlerFor(event.type);
  if (!handler) return { ignored: `event type ${event.type} is not handled` };
  const target = handler.target(event.object);
  if (!target) return { ignored: "the event names no checkout session or payment" };
  const id = await sessionIdFor(target);
  return id ? { id } : { ignored: "no checkout session of this store" };
}

async function markDuplicate(eventId: string): Promise<EventOutcome> {
  await db.webhookEvent.update({
    where: { stripeEventId: eventId },
    data: { duplicates: { increment: 1 }, lastDuplicateAt: new Date() },
  });
  return "duplicate";
}

async function sessionIdFor(target: EventTarget): Promise<string | null> {
  if ("sessionId" in target) return target.sessionId;
  const order = await db.order.findUnique({
    where: { stripePaymentIntentId: target.paymentIntentId },
    select: { stripeCheckoutSessionId: true },
  });
  return order?.stripeCheckoutSessionId ?? (await findCheckoutSessionId(target.paymentIntentId));
}

async function markIgnored(eventId: string, reason: string): Promise<EventOutcome> {
  await db.webhookEvent.updateMany({
    where: { stripeEventId: eventId, processedAt: null },
    data: { processedAt: new Date(), outcome: "IGNORED", error: reason },
  });
  return "ignored";
}

async function recordFailure(eventId: string, message: string): Promise<void> {
  await db.webhookEvent.updateMany({
    where: { stripeEventId: eventId, processedAt: null },
    data: { outcome: "FAILED", error: message.slice(0, 500) },
  });
}
