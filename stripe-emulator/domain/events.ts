import { API_VERSION } from "../constants";
import type { Json, RequestMeta } from "./context";
import type { Core } from "./core";
import { newId } from "./ids";
import type { EventRecord, EventType, StripeEvent } from "./model/events";

/**
 * Records an event with a deep snapshot of the object as it is right now, then queues it for
 * delivery. Callers emit in the order Stripe does, which is the order receivers observe.
 */
export function emitEvent(core: Core, type: EventType, object: Json, meta: RequestMeta): StripeEvent {
  const event: StripeEvent = {
    id: newId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: core.clock.now(),
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: core.delivery.listEndpoints().length,
    request: { id: meta.requestId, idempotency_key: meta.idempotencyKey },
    type,
  };
  const record: EventRecord = { event, createdAtMs: Date.now() };
  core.store.events.set(event.id, record);
  core.delivery.enqueue(record);
  core.options.onEvent(event);
  core.changed();
  return event;
}

export function presentEvent(core: Core, record: EventRecord): StripeEvent {
  return { ...record.event, pending_webhooks: core.delivery.pendingWebhooks(record.event.id) };
}
