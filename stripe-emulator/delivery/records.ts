/** Delivery records (persisted in the store) indexed by event, for pending_webhooks and filters. */
import { newId } from "../domain/ids";
import type { DeliveryRecord, DeliveryStatus } from "../domain/model/events";
import type { Store } from "../domain/store";

export function isTerminal(status: DeliveryStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "dropped";
}

export class DeliveryRecords {
  private readonly byEvent = new Map<string, DeliveryRecord[]>();

  constructor(private readonly store: Store) {}

  create(eventId: string, endpointId: string, duplicate: boolean): DeliveryRecord {
    const record: DeliveryRecord = {
      id: newId("whd"),
      eventId,
      endpointId,
      status: "queued",
      attempts: 0,
      duplicate,
      nextAttemptAtMs: null,
      lastError: null,
    };
    this.store.deliveries.set(record.id, record);
    this.index(record);
    return record;
  }

  /** Re-indexes what the store holds, e.g. after loading a state file. */
  rebuild(): DeliveryRecord[] {
    this.byEvent.clear();
    const all = [...this.store.deliveries.values()];
    for (const record of all) this.index(record);
    return all;
  }

  clear(): void {
    this.byEvent.clear();
  }

  /** Stripe counts the endpoints that have not acknowledged the event yet; copies don't count. */
  pending(eventId: string): number {
    return (this.byEvent.get(eventId) ?? []).filter((r) => !r.duplicate && r.status !== "succeeded").length;
  }

  counts(): Record<DeliveryStatus, number> {
    const counts: Record<DeliveryStatus, number> = {
      queued: 0,
      sending: 0,
      retry_scheduled: 0,
      succeeded: 0,
      failed: 0,
      dropped: 0,
    };
    for (const record of this.store.deliveries.values()) counts[record.status] += 1;
    return counts;
  }

  private index(record: DeliveryRecord): void {
    const list = this.byEvent.get(record.eventId);
    if (list) list.push(record);
    else this.byEvent.set(record.eventId, [record]);
  }
}
