/** One signed delivery attempt and its log entry; the retry policy lives in DeliveryManager. */
import type { Clock } from "../domain/clock";
import { API_VERSION } from "../constants";
import type { AttemptResult, WebhookSender } from "./send";
import type { Endpoint } from "./endpoints";
import { newId } from "../domain/ids";
import type { DeliveryRecord, StripeEvent } from "../domain/model/events";
import { signatureHeader } from "./signing";
import type { Store } from "../domain/store";

const USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";

export interface AttemptContext {
  sender: WebhookSender;
  timeoutMs: number;
}

/** Each attempt is serialised and signed afresh, so its timestamp is always current. */
export function sendAttempt(ctx: AttemptContext, event: StripeEvent, endpoint: Endpoint): Promise<AttemptResult> {
  const payload = JSON.stringify(event, null, 2);
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": USER_AGENT,
    Accept: "*/*; q=0.5, application/xml",
    "Cache-Control": "no-cache",
    "Stripe-Signature": signatureHeader(endpoint.secret, payload, Math.floor(Date.now() / 1000)),
    "Stripe-Version": API_VERSION,
  };
  return ctx.sender.send(endpoint.url, payload, headers, ctx.timeoutMs);
}

export function isSuccess(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300;
}

export function logAttempt(
  store: Store,
  clock: Clock,
  record: DeliveryRecord,
  endpoint: Endpoint,
  result: AttemptResult,
  dropped = false,
): void {
  store.addLogEntry({
    id: newId("whatt"),
    event_id: record.eventId,
    event_type: store.events.get(record.eventId)?.event.type ?? "unknown",
    endpoint_id: endpoint.id,
    endpoint_url: endpoint.url,
    attempt: Math.max(record.attempts, 1),
    duplicate: record.duplicate,
    outcome: dropped ? "dropped" : isSuccess(result.statusCode) ? "succeeded" : "failed",
    status_code: result.statusCode,
    latency_ms: result.latencyMs,
    response_snippet: result.snippet,
    error: result.error,
    timestamp: new Date(clock.nowMs()).toISOString(),
  });
}
