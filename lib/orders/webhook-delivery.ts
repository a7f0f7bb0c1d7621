import "server-only";
import { db } from "@/lib/db";
import { type ProblemStatus, statusOf } from "@/lib/http/respond";
import type { VerifiedEvent } from "@/lib/payments/types";
import { verifyWebhookEvent, WebhookSignatureError } from "@/lib/payments/signed-events";
import { fulfillCheckout } from "./fulfillment";
import { countReplay, recordEvent, requeueEvent, type RecordOutcome } from "./inbox";
import { settleGroupNow } from "./settle";
import { announceRecorded, asDelivery } from "./worker-signal";

/** Stripe's answer keeps its own body, `{ received, … }`; its statuses are the API's. */
export type WebhookResponse = {
  status: 200 | ProblemStatus<"bad_request" | "internal_error">;
  body: { received: boolean; outcome?: RecordOutcome; error?: string };
};

/** Deliveries refused for a missing, wrong or stale signature since this process started (logged with each). */
let rejectedSignatures = 0;

/**
 * Handles one webhook delivery: verify the signature over the raw body, record the event in
 * the inbox in one statement, answer. No Stripe call and no order change happen here; the
 * worker settles the event after the answer. 2xx only once the event is durably stored
 * (recorded, duplicate or ignored); 400 for bad signatures (nothing is stored); 500 when it
 * could not be stored, so Stripe delivers it again.
 */
export function receiveWebhook(rawBody: string, signature: string | null): Promise<WebhookResponse> {
  return asDelivery(() => recordDelivery(rawBody, signature));
}

async function recordDelivery(rawBody: string, signature: string | null): Promise<WebhookResponse> {
  let event: VerifiedEvent;
  try {
    event = verifyWebhookEvent(rawBody, signature);
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    rejectedSignatures += 1;
    console.warn(`[webhook] rejected delivery: ${error.message} (total ${rejectedSignatures})`);
    return { status: statusOf("bad_request"), body: { received: false, error: "invalid signature" } };
  }
  try {
    const { outcome, mismatch } = await recordEvent(event);
    if (mismatch)
      console.warn(`[webhook] ${event.type} ${event.id} arrived again with a different body; the first one is kept`);
    if (outcome === "recorded") announceRecorded();
    return { status: 200, body: { received: true, outcome } };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
    console.error(`[webhook] ${event.type} ${event.id} could not be recorded: ${message}`);
    return {
      status: statusOf("internal_error"),
      body: { received: false, error: "could not record the event; retry later" },
    };
  }
}

export type ReplayOutcome = "processed" | "ignored" | "failed";

/**
 * Runs a stored event through the pipeline again (admin "replay"). An event not yet handled
 * (pending, or failed after its tries) is settled now as if it had just arrived; one already
 * applied re-applies Stripe's current truth for its order, which changes nothing unless the
 * order had drifted. Null for unknown ids.
 */
export async function replayStoredEvent(stripeEventId: string): Promise<ReplayOutcome | null> {
  const row = await db.webhookEvent.findUnique({
    where: { stripeEventId },
    select: { processedAt: true, settleKey: true, order: { select: { stripeCheckoutSessionId: true } } },
  });
  if (!row) return null;
  if (!row.processedAt && row.settleKey && (await requeueEvent(stripeEventId))) {
    const step = await settleGroupNow(row.settleKey);
    if (!step || step.failed > 0 || step.applied + step.ignored < step.events) return "failed";
    return step.applied > 0 ? "processed" : "ignored";
  }
  await countReplay(stripeEventId);
  const sessionId = row.settleKey?.startsWith("cs_") ? row.settleKey : row.order?.stripeCheckoutSessionId;
  if (!sessionId) return "ignored";
  const result = await fulfillCheckout(sessionId);
  return result.outcome === "ignored" ? "ignored" : "processed";
}
