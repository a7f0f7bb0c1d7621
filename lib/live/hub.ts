import "server-only";
import { ChannelListener } from "@/lib/db/listen";
import { env } from "@/lib/env";
import { ORDER_STATUS_CHANNEL } from "./publish";

/** Why a listener is called: a change to its order, or a reconnect after which it must re-read. */
export type HubSignal = "changed" | "resync";
type Listener = (signal: HubSignal, orderId: string) => void;

/** Subscribe with this key to hear about every order (the admin dashboard). */
export const ALL_ORDERS = "*";

export class StreamLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StreamLimitError";
  }
}

export const MAX_STREAMS_PER_ORDER = 20;
export const MAX_STREAMS = 2_000;

/**
 * This instance's fan-out of order changes. One PostgreSQL connection LISTENs on the
 * `order_status` channel; each notification wakes the listeners of that order, whichever
 * instance committed the change. When the connection drops (database restart, failover) the
 * hub reconnects with backoff and tells every listener to re-read, so no change is missed.
 */
export class OrderHub extends ChannelListener {
  private readonly listeners = new Map<string, Set<Listener>>();
  private size = 0;

  constructor(connectionString: string) {
    super(connectionString, ORDER_STATUS_CHANNEL);
  }

  /** Number of open subscriptions (for limits and leak checks). */
  get subscriptions(): number {
    return this.size;
  }

  /** Subscribes to one order's changes (or every order's, with ALL_ORDERS); returns the unsubscribe function. */
  async subscribe(orderId: string, listener: Listener): Promise<() => void> {
    const set = this.listeners.get(orderId) ?? new Set<Listener>();
    if (set.size >= MAX_STREAMS_PER_ORDER) throw new StreamLimitError("too many live views of this order");
    if (this.size >= MAX_STREAMS) throw new StreamLimitError("too many live views open on this server");
    set.add(listener);
    this.listeners.set(orderId, set);
    this.size += 1;
    let active = true;
    const unsubscribe = () => {
      if (!active) return;
      active = false;
      set.delete(listener);
      this.size -= 1;
      if (set.size === 0) this.listeners.delete(orderId);
    };
    try {
      await this.ensureConnected();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Closes the LISTEN connection; used by tests and on shutdown. */
  close(): Promise<void> {
    return this.closeConnection();
  }

  protected onPayload(orderId: string): void {
    this.emit(orderId, "changed");
  }

  protected onReconnected(): void {
    for (const orderId of this.listeners.keys()) this.emit(orderId, "resync");
  }

  /** With nobody watching there is nothing to keep live; the next subscription connects. */
  protected override wantsConnection(): boolean {
    return this.listeners.size > 0;
  }

  private emit(orderId: string, signal: HubSignal): void {
    for (const listener of this.listeners.get(orderId) ?? []) listener(signal, orderId);
    if (orderId !== ALL_ORDERS) for (const listener of this.listeners.get(ALL_ORDERS) ?? []) listener(signal, orderId);
  }
}

const cache = globalThis as unknown as { storefrontHub?: OrderHub };

/** This process's hub. */
export function orderHub(): OrderHub {
  cache.storefrontHub ??= new OrderHub(env.DATABASE_URL ?? "");
  return cache.storefrontHub;
}
