import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { stripe, webhookSecretOrThrow } from "./client";
import type { VerifiedEvent } from "./types";

/** How old a signed delivery may be, in seconds (Stripe's default). */
export const SIGNATURE_TOLERANCE_S = 300;

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookSignatureError";
  }
}

/**
 * Verifies a webhook delivery's signature over the raw body and only then parses it.
 * Throws WebhookSignatureError for a missing, malformed, wrong or stale signature.
 */
export function verifyWebhookEvent(rawBody: string, signature: string | null): VerifiedEvent {
  if (!signature) throw new WebhookSignatureError("missing Stripe-Signature header");
  const secret = webhookSecretOrThrow();
  let event: Stripe.Event;
  try {
    event = stripe().webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_S);
  } catch (error) {
    // Whatever is wrong with the header or the body, nothing unverified goes further.
    throw new WebhookSignatureError(error instanceof Error ? error.message : "signature verification failed");
  }
  return reshapeEvent(event);
}

/** The pipeline's view of a Stripe event. */
export function reshapeEvent(event: Stripe.Event): VerifiedEvent {
  return {
    id: event.id,
    type: event.type,
    created: new Date(event.created * 1000),
    apiVersion: event.api_version ?? null,
    livemode: event.livemode,
    object: event.data.object as unknown as Record<string, unknown>,
    payload: event as unknown as Record<string, unknown>,
  };
}

const storedEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  api_version: z.string().nullish(),
  livemode: z.boolean().default(false),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** Reads an event back from the inbox (it was verified when it arrived). */
export function reshapeStoredEvent(payload: unknown): VerifiedEvent {
  const event = storedEventSchema.parse(payload);
  return {
    id: event.id,
    type: event.type,
    created: new Date(event.created * 1000),
    apiVersion: event.api_version ?? null,
    livemode: event.livemode,
    object: event.data.object,
    payload: payload as Record<string, unknown>,
  };
}
