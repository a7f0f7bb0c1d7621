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
/** Shoppers' streams open on this instance, all clients together. */
export const MAX_STREAMS = 2_000;
/** Streams one client address may hold open on this instance, over all its orders. */
export const MAX_STREAMS_PER_CLIENT = 8;
/** The admin dashboard's feeds, a budget of their own, so shoppers' streams can never fill it. */
export const MAX_ADMIN_STREAMS = 50;

/**
 * This instance's fan-out of order changes. One PostgreSQL connection LISTENs on the
 * `order_status` channel; each notification wakes the listeners of that order, whichever
 * instance committed the change. When the connection drops (database restart, failover) the
 * hub reconnects with backoff and tells every listener to re-read, so no change is missed.
 */
export class OrderHub extends ChannelListener {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly perClient = new Map<string, number>();
  private size = 0;
  private shopperStreams = 0;

  constructor(connectionString: string) {
    super(connectionString, ORDER_STATUS_CHANNEL);
  }

  /** Number of open subscriptions (for limits and leak checks). */
  get subscriptions(): number {
    return this.size;
  }

  /**
   * Subscribes to one order's changes (or every order's, with ALL_ORDERS, for the dashboard);
   * returns the unsubscribe function. Shoppers' streams are capped per order, per client and
   * in all; the dashboard's feeds have their own budget.
   */
  async subscribe(orderId: string, listener: Listener, client: string | null = null): Promise<() => void> {
    const set = this.listeners.get(orderId) ?? new Set<Listener>();
    const admin = orderId === ALL_ORDERS;
    if (admin) {
      if (set.size >= MAX_ADMIN_STREAMS) throw new StreamLimitError("too many dashboard feeds open on this server");
    } else {
      if (set.size >= MAX_STREAMS_PER_ORDER) throw new StreamLimitError("too many live views of this order");
      if (client && (this.perClient.get(client) ?? 0) >= MAX_STREAMS_PER_CLIENT)
        throw new StreamLimitError("too many live views open from your network");
      if (this.shopperStreams >= MAX_STREAMS) throw new StreamLimitError("too many live views open on this server");
    }
    set.add(listener);
    this.listeners.set(orderId, set);
    this.size += 1;
    if (!admin) this.shopperStreams += 1;
    if (!admin && client) this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    let active = true;
    const unsubscribe = () => {
      if (!active) return;
      active = false;
      set.delete(listener);
      this.size -= 1;
      if (!admin) this.shopperStreams -= 1;
      if (!admin && client) {
        const left = (this.perClient.get(client) ?? 1) - 1;
        if (left > 0) this.perClient.set(client, left);
        else this.perClient.delete(client);
      }
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
