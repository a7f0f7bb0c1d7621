/**
 * Every object the emulator knows, in insertion order (Maps keep it), which doubles as
 * creation order for list endpoints.
 */
import type { PaymentMethodRecord, Price, Product } from "./model/catalog";
import type { CashBalanceRecord, CashBalanceTransaction } from "./model/bank-transfers";
import type { SessionRecord } from "./model/checkout";
import type { Customer } from "./model/customers";
import type { PaymentLinkRecord } from "./model/payment-links";
import type { WebhookEndpointRecord } from "./model/webhook-endpoints";
import type { DeliveryAttempt, DeliveryRecord, EventRecord, IdempotencyEntry, Settlement } from "./model/events";
import type { Charge, Dispute, PaymentIntent, Refund } from "./model/payments";
import type { PersistedState } from "./model/state";

const MAX_LOG_ENTRIES = 5000;
const MAX_IDEMPOTENCY_ENTRIES = 5000;

export class Store {
  readonly products = new Map<string, Product>();
  readonly prices = new Map<string, Price>();
  readonly paymentMethods = new Map<string, PaymentMethodRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly paymentIntents = new Map<string, PaymentIntent>();
  readonly charges = new Map<string, Charge>();
  readonly refunds = new Map<string, Refund>();
  readonly disputes = new Map<string, Dispute>();
  readonly customers = new Map<string, Customer>();
  /** Ids of deleted customers: Stripe still answers a retrieve of one, with the deleted object. */
  readonly deletedCustomers = new Set<string>();
  /** Per customer: what their bank transfers left on their cash balance, per currency. */
  readonly cashBalances = new Map<string, CashBalanceRecord>();
  readonly cashBalanceTransactions = new Map<string, CashBalanceTransaction>();
  readonly paymentLinks = new Map<string, PaymentLinkRecord>();
  readonly webhookEndpoints = new Map<string, WebhookEndpointRecord>();
  readonly events = new Map<string, EventRecord>();
  readonly deliveries = new Map<string, DeliveryRecord>();
  readonly idempotency = new Map<string, IdempotencyEntry>();
  settlements: Settlement[] = [];
  /** Oldest first; readers reverse it. */
  deliveryLog: DeliveryAttempt[] = [];

  addLogEntry(entry: DeliveryAttempt): void {
    this.deliveryLog.push(entry);
    if (this.deliveryLog.length > MAX_LOG_ENTRIES)
      this.deliveryLog.splice(0, this.deliveryLog.length - MAX_LOG_ENTRIES);
  }

  addIdempotencyEntry(entry: IdempotencyEntry): void {
    this.idempotency.set(entry.key, entry);
    for (const key of this.idempotency.keys()) {
      if (this.idempotency.size <= MAX_IDEMPOTENCY_ENTRIES) break;
      this.idempotency.delete(key);
    }
  }

  clear(): void {
    for (const map of this.maps()) map.clear();
    this.deletedCustomers.clear();
    this.settlements = [];
    this.deliveryLog = [];
  }

  snapshot(clockOffsetMs: number): PersistedState {
    return {
      version: 1,
      clockOffsetMs,
      products: [...this.products.values()],
      prices: [...this.prices.values()],
      paymentMethods: [...this.paymentMethods.values()],
      sessions: [...this.sessions.values()],
      paymentIntents: [...this.paymentIntents.values()],
      charges: [...this.charges.values()],
      refunds: [...this.refunds.values()],
      disputes: [...this.disputes.values()],
      customers: [...this.customers.values()],
      deletedCustomers: [...this.deletedCustomers],
      cashBalances: [...this.cashBalances.values()],
      cashBalanceTransactions: [...this.cashBalanceTransactions.values()],
      paymentLinks: [...this.paymentLinks.values()],
      webhookEndpoints: [...this.webhookEndpoints.values()],
      events: [...this.events.values()],
      settlements: this.settlements,
      deliveries: [...this.deliveries.values()],
      deliveryLog: this.deliveryLog,
      idempotency: [...this.idempotency.values()],
    };
  }

  restore(state: PersistedState): void {
    this.clear();
    fill(this.products, state.products, (o) => o.id);
    fill(this.prices, state.prices, (o) => o.id);
    fill(this.paymentMethods, state.paymentMethods, (o) => o.paymentMethod.id);
    fill(this.sessions, state.sessions, (o) => o.session.id);
    fill(this.paymentIntents, state.paymentIntents, (o) => o.id);
    fill(this.charges, state.charges, (o) => o.id);
    fill(this.refunds, state.refunds, (o) => o.id);
    fill(this.disputes, state.disputes, (o) => o.id);
    fill(this.customers, state.customers, (o) => o.id);
    for (const id of state.deletedCustomers) this.deletedCustomers.add(id);
    fill(this.cashBalances, state.cashBalances, (o) => o.customer);
    fill(this.cashBalanceTransactions, state.cashBalanceTransactions, (o) => o.id);
    fill(this.paymentLinks, state.paymentLinks, (o) => o.link.id);
    fill(this.webhookEndpoints, state.webhookEndpoints, (o) => o.endpoint.id);
    fill(this.events, state.events, (o) => o.event.id);
    fill(this.deliveries, state.deliveries, (o) => o.id);
    fill(this.idempotency, state.idempotency, (o) => o.key);
    this.settlements = [...state.settlements];
    this.deliveryLog = [...state.deliveryLog];
  }

  private maps(): Map<string, unknown>[] {
    return [
      this.products,
      this.prices,
      this.paymentMethods,
      this.sessions,
      this.paymentIntents,
      this.charges,
      this.refunds,
      this.disputes,
      this.customers,
      this.cashBalances,
      this.cashBalanceTransactions,
      this.paymentLinks,
      this.webhookEndpoints,
      this.events,
      this.deliveries,
      this.idempotency,
    ];
  }
}

function fill<T>(map: Map<string, T>, items: readonly T[], key: (item: T) => string): void {
  for (const item of items) map.set(key(item), item);
}
