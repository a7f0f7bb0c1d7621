import { createHash } from "node:crypto";
import type { WebhookEndpointInput } from "../config";

export interface Endpoint {
  id: string;
  url: string;
  secret: string;
  /** "config" endpoints come from options/env and survive a reset. */
  source: "config" | "control";
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
