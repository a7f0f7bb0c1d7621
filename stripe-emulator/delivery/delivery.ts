/**
 * Webhook delivery. First attempts go through per-endpoint lanes in event order; failed
 * attempts leave the lane and retry on their own timers, so one bad event never blocks the
 * ones behind it. Drop and duplicate act per delivery here; shuffle and pause in the lanes.
 */
import type { Clock } from "../domain/clock";
import type { Settings, WebhookEndpointInput } from "../config";
import { isSuccess, logAttempt, sendAttempt } from "./attempt";
import { WebhookSender } from "./send";
import { Lanes } from "./lanes";
import { DeliveryRecords, isTerminal } from "./records";
import { RetryTimers } from "./timers";
import { acceptsEvent, makeEndpoint, type Endpoint } from "./endpoints";
import type { DeliveryRecord, DeliveryStatus, EventRecord } from "../domain/model/events";
import type { Store } from "../domain/store";
import { Waiters } from "./waiters";

export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  settings: Settings;
  changed: () => void;
  log: (line: string) => void;
}

export type FlushResult = { idle: boolean } & Record<DeliveryStatus, number>;

export class DeliveryManager {
  private endpoints: Endpoint[] = [];
  private readonly lanes: Lanes;
  private readonly retries = new RetryTimers();
  private readonly active = new Set<Promise<void>>();
  private readonly records: DeliveryRecords;
  private readonly waiters = new Waiters();
  private readonly sender = new WebhookSender();
  private generation = 0;
  private stopped = false;
  constructor(private readonly deps: DeliveryDeps) {
    this.records = new DeliveryRecords(deps.store);
    this.lanes = new Lanes({
      settings: deps.settings,
      dispatch: (id, endpoint) => this.dispatch(id, endpoint),
      track: (work) => this.track(work),
      sleep: (ms) => this.waiters.sleep(ms),
      checkIdle: () => this.waiters.check(),
    });
  }

  listEndpoints(): readonly Endpoint[] {
    return this.endpoints;
  }

  addEndpoint(input: WebhookEndpointInput, source: Endpoint["source"]): Endpoint {
    const endpoint = makeEndpoint(input, source);
    const existing = this.endpoints.find((e) => e.id === endpoint.id);
    if (existing) return existing;
    this.endpoints.push(endpoint);
    return endpoint;
  }

  /**
   * Adds an endpoint, or changes the one with its id in place, so queued work and retries go
   * to the new url and secret.
   */
  upsertEndpoint(endpoint: Endpoint): void {
    const existing = this.endpoints.find((e) => e.id === endpoint.id);
    if (existing) Object.assign(existing, endpoint);
    else this.endpoints.push(endpoint);
  }

  /** How many endpoints an event of this type goes to. */
  subscribers(type: string): number {
    return this.endpoints.filter((e) => acceptsEvent(e, type)).length;
  }

  removeEndpoints(predicate: (endpoint: Endpoint) => boolean): number {
    const removed = this.endpoints.filter(predicate);
    this.endpoints = this.endpoints.filter((e) => !predicate(e));
    const gone = new Set(removed.map((e) => e.id));
    for (const record of this.deps.store.deliveries.values()) {
      if (gone.has(record.endpointId) && !isTerminal(record.status)) this.abandon(record, "Endpoint removed");
    }
    this.lanes.remove(gone);
    this.deps.changed();
    this.waiters.check();
    return removed.length;
  }

  enqueue(record: EventRecord): void {
    for (const endpoint of this.endpoints) {
      if (!acceptsEvent(endpoint, record.event.type)) continue;
      const delivery = this.records.create(record.event.id, endpoint.id, false);
      this.lanes.push(endpoint, delivery.id);
    }
    this.lanes.pumpAll();
  }

  pendingWebhooks(eventId: string): number {
    return this.records.pending(eventId);
  }

  deliverySucceeded(eventId: string): boolean {
    return this.pendingWebhooks(eventId) === 0;
  }

  /** Call after changing `settings.pause` (or other knobs) so held work moves again. */
  settingsChanged(): void {
    if (!this.deps.settings.pause) for (const id of this.retries.releaseParked()) this.fireRetry(id);
    this.lanes.pumpAll();
    this.waiters.check();
  }

  async flush(timeoutMs: number): Promise<FlushResult> {
    const idle = await this.waiters.wait(() => this.isIdle(), timeoutMs);
    return { idle, ...this.records.counts() };
  }

  /** Rebuilds runtime queues from restored records; unfinished deliveries resume. */
  restore(): void {
    const now = Date.now();
    for (const record of this.records.rebuild()) {
      if (isTerminal(record.status)) continue;
      const endpoint = this.endpoints.find((e) => e.id === record.endpointId);
      if (!endpoint) {
        this.abandon(record, "Endpoint no longer configured");
      } else if (record.status === "retry_scheduled") {
        this.retries.schedule(record.id, Math.max(0, (record.nextAttemptAtMs ?? now) - now), (id) =>
          this.fireRetry(id),
        );
      } else {
        record.status = "queued";
        this.lanes.push(endpoint, record.id);
      }
    }
    this.lanes.pumpAll();
  }

  reset(endpoints: readonly Endpoint[]): void {
    this.generation += 1;
    this.clearTimers();
    this.lanes.clear();
    this.records.clear();
    this.endpoints = [...endpoints];
    this.waiters.check();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.lanes.stop();
    this.clearTimers();
    this.sender.destroy();
    await Promise.allSettled([...this.active]);
    this.waiters.releaseAll();
  }

  private async dispatch(id: string, endpoint: Endpoint): Promise<void> {
    const record = this.deps.store.deliveries.get(id);
    if (!record || record.status !== "queued") return;
    const { drop, duplicate } = this.deps.settings;
    if (drop > 0 && Math.random() < drop) {
      record.status = "dropped";
      record.lastError = "Dropped by the drop knob";
      const result = { statusCode: null, snippet: null, error: record.lastError, latencyMs: 0 };
      logAttempt(this.deps.store, this.deps.clock, record, endpoint, result, true);
      this.deps.changed();
      return;
    }
    const sendCopy = duplicate > 0 && Math.random() < duplicate;
    await this.attempt(record, endpoint);
    if (sendCopy && !this.stopped) await this.attempt(this.records.create(record.eventId, endpoint.id, true), endpoint);
  }

  private async attempt(record: DeliveryRecord, endpoint: Endpoint): Promise<void> {
    const stored = this.deps.store.events.get(record.eventId);
    if (!stored) return this.abandon(record, "Event no longer exists");
    const generation = this.generation;
    record.attempts += 1;
    record.status = "sending";
    const event = { ...stored.event, pending_webhooks: this.pendingWebhooks(record.eventId) };
    const { store, clock, settings } = this.deps;
    const context = { sender: this.sender, timeoutMs: settings.attemptTimeoutMs };
    const result = await sendAttempt(context, event, endpoint);
    if (this.stopped || generation !== this.generation) return;
    logAttempt(store, clock, record, endpoint, result);
    const retryIn = settings.retrySchedule[record.attempts - 1];
    record.lastError = isSuccess(result.statusCode) ? null : (result.error ?? `HTTP ${result.statusCode}`);
    record.nextAttemptAtMs = null;
    if (record.lastError === null) {
      record.status = "succeeded";
    } else if (!record.duplicate && retryIn !== undefined) {
      record.status = "retry_scheduled";
      record.nextAttemptAtMs = Date.now() + retryIn * 1000;
      this.retries.schedule(record.id, retryIn * 1000, (id) => this.fireRetry(id));
    } else {
      record.status = "failed";
      if (!record.duplicate) this.deps.log(`webhook ${record.eventId} to ${endpoint.url} failed: ${record.lastError}`);
    }
    this.deps.changed();
  }

  private fireRetry(id: string): void {
    const record = this.deps.store.deliveries.get(id);
    if (!record || record.status !== "retry_scheduled" || this.stopped) return;
    if (this.deps.settings.pause) {
      this.retries.park(id);
    } else {
      const endpoint = this.endpoints.find((e) => e.id === record.endpointId);
      if (endpoint) this.track(this.attempt(record, endpoint));
      else this.abandon(record, "Endpoint removed");
    }
    this.waiters.check();
  }

  private abandon(record: DeliveryRecord, reason: string): void {
    this.retries.cancel(record.id);
    record.status = "failed";
    record.lastError = reason;
    record.nextAttemptAtMs = null;
  }

  private track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) => this.deps.log(`webhook delivery crashed: ${String(error)}`))
      .finally(() => {
        this.active.delete(tracked);
        this.waiters.check();
      });
    this.active.add(tracked);
  }

  private isIdle(): boolean {
    if (this.active.size > 0 || this.retries.pending > 0) return false;
    return this.lanes.idle();
  }

  private clearTimers(): void {
    this.retries.clear();
    this.waiters.cancelSleeps();
  }
}
