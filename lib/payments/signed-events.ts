import "server-only";
import type Stripe from "stripe";
import { z } from "zod";
import { stripe, webhookSecretOrThrow } from "./client";
import type { VerifiedEvent } from "./types";

/** How far a signed delivery's timestamp may be from now, either way, in seconds (Stripe's default). */
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
  // Stripe's check refuses only old deliveries; one signed for the future is refused as well.
  const signedAt = [...signature.matchAll(/(?:^|,)\s*t=(\d+)/g)].map((m) => Number(m[1]));
  if (signedAt.some((t) => t > Date.now() / 1000 + SIGNATURE_TOLERANCE_S))
    throw new WebhookSignatureError("the signature's timestamp is in the future beyond the tolerance");
  let event: Stripe.Event;
  try {
    event = stripe().webhooks.constructEvent(rawBody, signature, secret, SIGNATURE_TOLERANCE_S);
  } catch (error) {
    // Whatever is wrong with the header or the body, nothing unverified goes further.
    throw new WebhookSignatureError(error instanceof Error ? error.message : "signature verification failed");
  }
  try {
    // Most bodies hold nothing jsonb refuses: keep them as they came, without copying them.
    if (UNSTORABLE_ESCAPE.test(rawBody)) return reshapeEvent(event);
    return { ...fromParsed(event as unknown as Record<string, unknown>), payloadText: rawBody };
  } catch {
    throw new WebhookSignatureError("the signed payload is not a Stripe event");
  }
}

/** JSON escapes of a NUL or a UTF-16 surrogate, which need storableJson before jsonb takes them. */
const UNSTORABLE_ESCAPE = /\\u(0000|d[89a-f])/i;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A copy of a JSON value that PostgreSQL's jsonb accepts: NUL characters and unpaired UTF-16
 * surrogates (valid in JSON text, refused by jsonb) become U+FFFD.
 */
export function storableJson(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableJson(k) as string, storableJson(v)]));
  return value;
}

const eventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  api_version: z.string().nullish(),
  livemode: z.boolean().default(false),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/**
 * The pipeline's view of an event, from Stripe's JSON: a delivery or an events.list page
 * (verified by then), or a row of the inbox. Throws if it is not shaped like an event.
 */
export function reshapeEvent(raw: unknown): VerifiedEvent {
  return fromParsed(storableJson(raw) as Record<string, unknown>);
}

function fromParsed(payload: Record<string, unknown>): VerifiedEvent {
  const event = eventSchema.parse(payload);
  return {
    id: event.id,
    type: event.type,
    created: new Date(event.created * 1000),
    apiVersion: event.api_version ?? null,
    livemode: event.livemode,
    object: event.data.object,
    payload,
  };
}
