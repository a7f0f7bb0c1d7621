import { createHash } from "node:crypto";
import type { WebhookEndpointInput } from "../config";
import type { WebhookEndpointRecord } from "../domain/model/webhook-endpoints";

export interface Endpoint {
  id: string;
  url: string;
  secret: string;
  /**
   * "config" endpoints come from options/env and survive a reset; "control" ones were added
   * through the control API; "api" ones are webhook endpoints created with the Stripe API,
   * kept in the state file as Stripe objects.
   */
  source: "config" | "control" | "api";
  /** The event types it receives (`*` for all); absent means all. */
  enabledEvents?: readonly string[];
}

export function acceptsEvent(endpoint: Endpoint, type: string): boolean {
  return endpoint.enabledEvents === undefined || endpoint.enabledEvents.some((e) => e === "*" || e === type);
}

/**
 * Ids derive from url + secret so that persisted deliveries still find their endpoint after
 * a restart (endpoints themselves come from configuration, not from the state file).
 */
export function endpointId(input: WebhookEndpointInput): string {
  return `we_${createHash("sha256").update(`${input.url}\n${input.secret}`).digest("hex").slice(0, 24)}`;
}

export function makeEndpoint(input: WebhookEndpointInput, source: Endpoint["source"]): Endpoint {
  return { id: endpointId(input), url: input.url, secret: input.secret, source };
}

/** Where a webhook endpoint created through the API receives its events. */
export function apiEndpoint({ endpoint, secret }: WebhookEndpointRecord): Endpoint {
  return { id: endpoint.id, url: endpoint.url, secret, source: "api", enabledEvents: [...endpoint.enabled_events] };
}
