import { API_VERSION } from "../constants";
import type { Json, RequestMeta } from "./context";
import type { Core } from "./core";
import { newId } from "./ids";
import type { EventRecord, EventType, StripeEvent } from "./model/events";

/**
 * Records an event with a deep snapshot of the object as it is right now, then queues it for
 * delivery. Callers emit in the order Stripe does, which is the order receivers observe.
 */
export function emitEvent(
  core: Core,
  type: EventType,
  object: Json,
  meta: RequestMeta,
  previousAttributes?: Json,
): StripeEvent {
  const event: StripeEvent = {
    id: newId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: core.clock.now(),
    data: {
      object: structuredClone(object),
      ...(previousAttributes ? { previous_attributes: structuredClone(previousAttributes) } : {}),
    },
    livemode: false,
    pending_webhooks: core.delivery.subscribers(type),
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

/**
 * What an update changed, as Stripe reports it in `previous_attributes`: each changed field with
 * its former value; hashes (metadata, address) as the changed keys only, a key that did not exist
 * as null; arrays and values that were null whole. `null` when nothing changed (no event then).
 */
export function previousAttributes(before: Json, after: Json): Json | null {
  const changed: Json = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[key];
    const now = after[key];
    if (isHash(old) && isHash(now)) {
      const nested = previousAttributes(old, now);
      if (nested) changed[key] = nested;
    } else if (JSON.stringify(old) !== JSON.stringify(now)) {
      changed[key] = old ?? null;
    }
  }
  return Object.keys(changed).length > 0 ? changed : null;
}

function isHash(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
