/**
 * Per-endpoint lanes: first attempts leave one at a time in event order, so a receiver sees
 * events in the order they happened, or `deliveryConcurrency` at a time, as Stripe sends at
 * volume. The shuffle and pause knobs act here.
 */
import type { Settings } from "../config";
import type { Endpoint } from "./endpoints";

interface Lane {
  endpoint: Endpoint;
  queue: string[];
  running: boolean;
}

export interface LaneHooks {
  settings: Settings;
  dispatch: (deliveryId: string, endpoint: Endpoint) => Promise<void>;
  track: (work: Promise<void>) => void;
  sleep: (ms: number) => Promise<void>;
  checkIdle: () => void;
}

export class Lanes {
  private readonly lanes = new Map<string, Lane>();
  private generation = 0;
  private stopped = false;

  constructor(private readonly hooks: LaneHooks) {}

  push(endpoint: Endpoint, deliveryId: string): void {
    let lane = this.lanes.get(endpoint.id);
    if (!lane) {
      lane = { endpoint, queue: [], running: false };
      this.lanes.set(endpoint.id, lane);
    }
    lane.queue.push(deliveryId);
  }

  pumpAll(): void {
    for (const lane of this.lanes.values()) this.pump(lane);
  }

  remove(endpointIds: ReadonlySet<string>): void {
    for (const id of endpointIds) this.lanes.delete(id);
  }

  /** Forgets all queued work; a lane that is mid-send notices and stops after that send. */
  clear(): void {
    this.generation += 1;
    this.lanes.clear();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Paused lanes count as idle: their work is held, not in progress. */
  idle(): boolean {
    const paused = this.hooks.settings.pause;
    return [...this.lanes.values()].every((lane) => !lane.running && (paused || lane.queue.length === 0));
  }

  private pump(lane: Lane): void {
    if (lane.running || this.stopped || this.hooks.settings.pause || lane.queue.length === 0) {
      this.hooks.checkIdle();
      return;
    }
    lane.running = true;
    this.hooks.track(
      this.run(lane).finally(() => {
        lane.running = false;
        this.pump(lane);
      }),
    );
  }

  private async run(lane: Lane): Promise<void> {
    const generation = this.generation;
    const live = () => !this.stopped && generation === this.generation && this.lanes.get(lane.endpoint.id) === lane;
    const { settings } = this.hooks;
    // Stripe sends concurrently and in no guaranteed order; with one in flight they keep order.
    const inFlight = new Set<Promise<void>>();
    try {
      while (live() && !settings.pause && lane.queue.length > 0) {
        const batch = settings.shuffle ? await this.takeShuffled(lane) : lane.queue.splice(0, 1);
        for (const [i, id] of batch.entries()) {
          if (!live()) return;
          if (settings.pause) {
            lane.queue.unshift(...batch.slice(i));
            return;
          }
          const sending: Promise<void> = this.hooks.dispatch(id, lane.endpoint).finally(() => inFlight.delete(sending));
          inFlight.add(sending);
          if (inFlight.size >= settings.deliveryConcurrency) await Promise.race(inFlight);
        }
      }
    } finally {
      await Promise.all(inFlight);
    }
  }

  /** Holds a window's worth of deliveries, then releases them in random order. */
  private async takeShuffled(lane: Lane): Promise<string[]> {
    await this.hooks.sleep(this.hooks.settings.shuffleWindowMs);
    const batch = lane.queue.splice(0);
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [batch[i], batch[j]] = [batch[j] ?? "", batch[i] ?? ""];
    }
    return batch;
  }
}
