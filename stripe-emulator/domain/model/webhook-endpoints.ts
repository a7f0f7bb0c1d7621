import { z } from "zod";
import { metadataSchema, nullableString, timestamp } from "./common";

/** A webhook endpoint created through the API; its secret is kept beside it, not on it. */
export const webhookEndpointSchema = z.object({
  id: z.string(),
  object: z.literal("webhook_endpoint"),
  api_version: nullableString,
  application: z.null(),
  created: timestamp,
  description: nullableString,
  enabled_events: z.array(z.string()),
  livemode: z.literal(false),
  metadata: metadataSchema,
  status: z.enum(["enabled", "disabled"]),
  url: z.string(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** Stripe shows the signing secret in the create response only. */
export type CreatedWebhookEndpoint = WebhookEndpoint & { secret: string };

export const webhookEndpointRecordSchema = z.object({ endpoint: webhookEndpointSchema, secret: z.string() });
export type WebhookEndpointRecord = z.infer<typeof webhookEndpointRecordSchema>;
