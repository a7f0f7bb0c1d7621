/**
 * Webhook delivery. Each endpoint has a lane that sends first attempts one at a time in event
 * order; failed attempts leave the lane and retry on their own timers, so one bad event never
 * blocks the ones behind it. The knobs (duplicate, drop, shuffle, pause) act on the lanes.
 */
import { API_VERSION } from "./constants";
import type { Clock } from "./clock";
import type { Settings } from "./config";
import { WebhookSender } from "./delivery-send";
import { makeEndpoint, type Endpoint } from "./endpoints";
import type { WebhookEndpointInput } from "./config";
import { newId } from "./ids";
import type { DeliveryRecord, DeliveryStatus, EventRecord } from "./model/events";
import { signatureHeader } from "./signing";
import type { Store } from "./store";
import { Waiters } from "./waiters";

export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  settings: Settings;
  changed: () => void;
  log: (line: string) => void;
}

interface Lane {
  endpoint: Endpoint;
  queue: string[];
  running: boolean;
}

export type FlushResult = { idle: boolean } & Record<DeliveryStatus, number>;

const USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";

export class DeliveryManager {
  private endpoints: Endpoint[] = [];
  private readonly lanes = new Map<string, Lane>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly parked = new Set<string>();
  private readonly active = new Set<Promise<void>>();
  private readonly byEvent = new Map<string, DeliveryRecord[]>();
  private readonly waiters = new Waiters();
  private readonly sender = new WebhookSender();
  private generation = 0;
  private stopped = false;
  /** Replaceable for deterministic knob tests. */
  random: () => number = Math.random;

  constructor(private readonly deps: DeliveryDeps) {}

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

  removeEndpoints(predicate: (endpoint: Endpoint) => boolean): number {
    const removed = this.endpoints.filter(predicate);
    this.endpoints = this.endpoints.filter((e) => !predicate(e));
    const gone = new Set(removed.map((e) => e.id));
    for (const record of this.deps.store.deliveries.values()) {
      if (gone.has(record.endpointId) && !isTerminal(record.status)) this.abandon(record, "Endpoint removed");
    }
    for (const id of gone) this.lanes.delete(id);
    this.deps.changed();
    this.waiters.check(() => this.isIdle());
    return removed.length;
  }

  enqueue(record: EventRecord): void {
    for (const endpoint of this.endpoints) {
      const delivery = this.createRecord(record.event.id, endpoint.id, false);
      this.lane(endpoint).queue.push(delivery.id);
    }
    for (const lane of this.lanes.values()) this.pump(lane);
  }

  /** Stripe counts endpoints that have not yet acknowledged the event. */
  pendingWebhooks(eventId: string): number {
    return (this.byEvent.get(eventId) ?? []).filter((r) => !r.duplicate && r.status !== "succeeded").length;
  }

  deliverySucceeded(eventId: string): boolean {
    return this.pendingWebhooks(eventId) === 0;
  }

  /** Call after changing `settings.pause` (or other knobs) so held work moves again. */
  settingsChanged(): void {
    if (!this.deps.settings.pause) {
      for (const id of [...this.parked]) {
        this.parked.delete(id);
        this.fireRetry(id);
      }
    }
    for (const lane of this.lanes.values()) this.pump(lane);
    this.waiters.check(() => this.isIdle());
  }

  async flush(timeoutMs: number): Promise<FlushResult> {
    const idle = await this.waiters.wait(() => this.isIdle(), timeoutMs);
    const counts: Record<DeliveryStatus, number> = {
      queued: 0,
      sending: 0,
      retry_scheduled: 0,
      succeeded: 0,
      failed: 0,
      dropped: 0,
    };
    for (const record of this.deps.store.deliveries.values()) counts[record.status] += 1;
    return { idle, ...counts };
  }

  /** Rebuilds runtime queues from restored records; unfinished deliveries resume. */
  restore(): void {
    this.byEvent.clear();
    const now = Date.now();
    for (const record of this.deps.store.deliveries.values()) {
      this.index(record);
      if (isTerminal(record.status)) continue;
      const endpoint = this.endpoints.find((e) => e.id === record.endpointId);
      if (!endpoint) {
        this.abandon(record, "Endpoint no longer configured");
      } else if (record.status === "retry_scheduled") {
        this.scheduleRetry(record.id, Math.max(0, (record.nextAttemptAtMs ?? now) - now));
      } else {
        record.status = "queued";
        this.lane(endpoint).queue.push(record.id);
      }
    }
    for (const lane of this.lanes.values()) this.pump(lane);
  }

  reset(endpoints: readonly Endpoint[]): void {
    this.generation += 1;
    this.clearTimers();
    this.lanes.clear();
    this.byEvent.clear();
    this.endpoints = [...endpoints];
    this.waiters.check(() => this.isIdle());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    this.sender.destroy();
    await Promise.allSettled([...this.active]);
    this.waiters.releaseAll();
  }

  private createRecord(eventId: string, endpointId: string, duplicate: boolean): DeliveryRecord {
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
    this.deps.store.deliveries.set(record.id, record);
    this.index(record);
    return record;
  }

  private index(record: DeliveryRecord): void {
    const list = this.byEvent.get(record.eventId);
    if (list) list.push(record);
    else this.byEvent.set(record.eventId, [record]);
  }

  private lane(endpoint: Endpoint): Lane {
    let lane = this.lanes.get(endpoint.id);
    if (!lane) {
      lane = { endpoint, queue: [], running: false };
      this.lanes.set(endpoint.id, lane);
    }
    return lane;
  }

  private pump(lane: Lane): void {
    if (lane.running || this.stopped || this.deps.settings.pause || lane.queue.length === 0) {
      this.waiters.check(() => this.isIdle());
      return;
    }
    lane.running = true;
    this.track(
      this.runLane(lane).finally(() => {
        lane.running = false;
        this.pump(lane);
      }),
    );
  }

  private async runLane(lane: Lane): Promise<void> {
    const generation = this.generation;
    const live = () => !this.stopped && generation === this.generation && this.lanes.get(lane.endpoint.id) === lane;
    while (live() && !this.deps.settings.pause && lane.queue.length > 0) {
      const batch = this.deps.settings.shuffle ? await this.takeShuffled(lane) : lane.queue.splice(0, 1);
      for (const [i, id] of batch.entries()) {
        if (!live()) return;
        if (this.deps.settings.pause) {
          lane.queue.unshift(...batch.slice(i));
          return;
        }
        await this.dispatch(id, lane.endpoint);
      }
    }
  }

  /** The shuffle knob holds a window's worth of deliveries and releases them in random order. */
  private async takeShuffled(lane: Lane): Promise<string[]> {
    await this.waiters.sleep(this.deps.settings.shuffleWindowMs);
    const batch = lane.queue.splice(0);
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [batch[i], batch[j]] = [batch[j] ?? "", batch[i] ?? ""];
    }
    return batch;
  }

  private async dispatch(id: string, endpoint: Endpoint): Promise<void> {
    const record = this.deps.store.deliveries.get(id);
    if (!record || record.status !== "queued") return;
    const { drop, duplicate } = this.deps.settings;
    if (drop > 0 && this.random() < drop) {
      record.status = "dropped";
      record.lastError = "Dropped by the drop knob";
      this.logAttempt(record, endpoint, { statusCode: null, snippet: null, error: record.lastError, latencyMs: 0 });
      this.deps.changed();
      return;
    }
    const sendCopy = duplicate > 0 && this.random() < duplicate;
    await this.attempt(record, endpoint);
    if (sendCopy && !this.stopped) await this.attempt(this.createRecord(record.eventId, endpoint.id, true), endpoint);
  }

  private async attempt(record: DeliveryRecord, endpoint: Endpoint): Promise<void> {
    const stored = this.deps.store.events.get(record.eventId);
    if (!stored) return this.abandon(record, "Event no longer exists");
    const generation = this.generation;
    record.attempts += 1;
    record.status = "sending";
    const payload = JSON.stringify(
      { ...stored.event, pending_webhooks: this.pendingWebhooks(record.eventId) },
      null,
      2,
    );
    const headers = {
      "Content-Type": "application/json; charset=utf-8",
      "User-Agent": USER_AGENT,
      Accept: "*/*; q=0.5, application/xml",
      "Cache-Control": "no-cache",
      "Stripe-Signature": signatureHeader(endpoint.secret, payload, Math.floor(Date.now() / 1000)),
      "Stripe-Version": API_VERSION,
    };
    const result = await this.sender.send(endpoint.url, payload, headers, this.deps.settings.attemptTimeoutMs);
    if (this.stopped || generation !== this.generation) return;
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    this.logAttempt(record, endpoint, result);
    const retryIn = this.deps.settings.retrySchedule[record.attempts - 1];
    if (ok) {
      record.status = "succeeded";
      record.lastError = null;
      record.nextAttemptAtMs = null;
    } else if (!record.duplicate && retryIn !== undefined) {
      record.status = "retry_scheduled";
      record.lastError = result.error ?? `HTTP ${result.statusCode}`;
      record.nextAttemptAtMs = Date.now() + retryIn * 1000;
      this.scheduleRetry(record.id, retryIn * 1000);
    } else {
      record.status = "failed";
      record.lastError = result.error ?? `HTTP ${result.statusCode}`;
      record.nextAttemptAtMs = null;
      if (!record.duplicate) this.deps.log(`webhook ${record.eventId} to ${endpoint.url} failed: ${record.lastError}`);
    }
    this.deps.changed();
  }

  private scheduleRetry(id: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(id);
      this.fireRetry(id);
    }, delayMs);
    this.retryTimers.set(id, timer);
  }

  private fireRetry(id: string): void {
    const record = this.deps.store.deliveries.get(id);
    if (!record || record.status !== "retry_scheduled" || this.stopped) return;
    if (this.deps.settings.pause) {
      this.parked.add(id);
    } else {
      const endpoint = this.endpoints.find((e) => e.id === record.endpointId);
      if (endpoint) this.track(this.attempt(record, endpoint));
      else this.abandon(record, "Endpoint removed");
    }
    this.waiters.check(() => this.isIdle());
  }

  private abandon(record: DeliveryRecord, reason: string): void {
    const timer = this.retryTimers.get(record.id);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(record.id);
    this.parked.delete(record.id);
    record.status = "failed";
    record.lastError = reason;
    record.nextAttemptAtMs = null;
  }

  private logAttempt(
    record: DeliveryRecord,
    endpoint: Endpoint,
    result: { statusCode: number | null; snippet: string | null; error: string | null; latencyMs: number },
  ): void {
    this.deps.store.addLogEntry({
      id: newId("whatt"),
      event_id: record.eventId,
      event_type: this.deps.store.events.get(record.eventId)?.event.type ?? "unknown",
      endpoint_id: endpoint.id,
      endpoint_url: endpoint.url,
      attempt: Math.max(record.attempts, 1),
      duplicate: record.duplicate,
      outcome: record.status === "dropped" ? "dropped" : isOk(result.statusCode) ? "succeeded" : "failed",
      status_code: result.statusCode,
      latency_ms: result.latencyMs,
      response_snippet: result.snippet,
      error: result.error,
      timestamp: new Date(this.deps.clock.nowMs()).toISOString(),
    });
  }

  private track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) => this.deps.log(`webhook delivery crashed: ${String(error)}`))
      .finally(() => {
        this.active.delete(tracked);
        this.waiters.check(() => this.isIdle());
      });
    this.active.add(tracked);
  }

  private isIdle(): boolean {
    if (this.active.size > 0 || this.retryTimers.size > 0) return false;
    const paused = this.deps.settings.pause;
    return [...this.lanes.values()].every((lane) => !lane.running && (paused || lane.queue.length === 0));
  }

  private clearTimers(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.parked.clear();
    this.waiters.cancelSleeps();
  }
}

function isTerminal(status: DeliveryStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "dropped";
}

function isOk(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}
