/**
 * The chaos run's plan and its oracle. Pure: from a seed it decides every order (items,
 * scenario, refund amount) and, from that plan alone, what the database must hold at the end.
 * It deliberately does not import the app's rules, only the names of its emails: the
 * expectations below are written out from ARCHITECTURE.md ("Order states") and the pipeline
 * tests, so a regression there shows up here.
 */
import { PAYMENT_EMAIL_KINDS, type PaymentEmailKind } from "@/lib/orders/state-machine";

export type ScenarioName =
  | "card_success"
  | "decline_then_expire"
  | "async_success"
  | "async_failure"
  | "expiry"
  | "refund_partial"
  | "refund_full";

export const SCENARIOS: ReadonlyArray<{ name: ScenarioName; weight: number }> = [
  { name: "card_success", weight: 30 },
  { name: "decline_then_expire", weight: 10 },
  { name: "async_success", weight: 15 },
  { name: "async_failure", weight: 10 },
  { name: "expiry", weight: 10 },
  { name: "refund_partial", weight: 12.5 },
  { name: "refund_full", weight: 12.5 },
];

export type PlannedProduct = { index: number; slug: string; name: string; unitAmount: number; stockOnHand: number };
export type PlannedLine = { product: number; quantity: number };
export type PlannedOrder = {
  index: number;
  scenario: ScenarioName;
  lines: PlannedLine[];
  email: string;
  amountTotal: number;
  /** Only for refund_partial: the amount refunded (0 < refund < total). */
  refundAmount: number;
  /** Shopper "think time" before paying, and before the follow-up action (refund / expire). */
  payDelayMs: number;
  followUpDelayMs: number;
};

export type Plan = { seed: number; products: PlannedProduct[]; orders: PlannedOrder[] };

/** The emails the oracle counts: those of the payment flow. */
export type EmailKind = PaymentEmailKind;
export const EMAIL_KINDS: readonly EmailKind[] = PAYMENT_EMAIL_KINDS;

export type Expected = {
  status: "PAID" | "FAILED" | "EXPIRED" | "REFUNDED";
  paymentStatus: "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "FAILED" | "UNPAID";
  stockState: "COMMITTED" | "RELEASED";
  amountRefunded: number;
  charges: number;
  refunds: number;
  /** Allowed number of outbox rows per kind, as [min, max]. */
  emails: Record<EmailKind, [number, number]>;
};

/** mulberry32: a small, fast, seedable PRNG (deterministic across platforms). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function pickScenario(random: () => number): ScenarioName {
  const total = SCENARIOS.reduce((sum, s) => sum + s.weight, 0);
  let roll = random() * total;
  for (const s of SCENARIOS) {
    roll -= s.weight;
    if (roll < 0) return s.name;
  }
  return "card_success";
}

/** Stock headroom per product beyond the planned demand, so no checkout ever fails for stock. */
export const STOCK_HEADROOM = 25;

export function makePlan(seed: number, orderCount: number, productCount = 24): Plan {
  const random = prng(seed);
  const unitAmounts = Array.from({ length: productCount }, (_, i) => 300 + ((i * 7919 + seed) % 40) * 25);
  const orders: PlannedOrder[] = [];
  for (let index = 0; index < orderCount; index++) {
    const scenario = pickScenario(random);
    const lineCount = int(random, 1, 3);
    const chosen = new Set<number>();
    while (chosen.size < lineCount) chosen.add(int(random, 0, productCount - 1));
    const lines = [...chosen].map((product) => ({ product, quantity: int(random, 1, 3) }));
    const amountTotal = lines.reduce((sum, l) => sum + (unitAmounts[l.product] ?? 0) * l.quantity, 0);
    const fraction = 0.1 + random() * 0.8;
    orders.push({
      index,
      scenario,
      lines,
      email: `chaos+${seed}-${index}@example.test`,
      amountTotal,
      refundAmount:
        scenario === "refund_partial" ? Math.min(amountTotal - 1, Math.max(1, Math.floor(amountTotal * fraction))) : 0,
      payDelayMs: int(random, 0, 400),
      followUpDelayMs: int(random, 50, 2500),
    });
  }
  const demand = new Array<number>(productCount).fill(0);
  for (const o of orders) for (const l of o.lines) demand[l.product] = (demand[l.product] ?? 0) + l.quantity;
  const products = unitAmounts.map((unitAmount, index) => ({
    index,
    slug: `chaos-${seed}-${index}`,
    name: `Chaos item ${index}`,
    unitAmount,
    stockOnHand: (demand[index] ?? 0) + STOCK_HEADROOM,
  }));
  return { seed, products, orders };
}

const exactly = (n: number): [number, number] => [n, n];
const noEmails = (): Record<EmailKind, [number, number]> => ({
  ORDER_CONFIRMATION: exactly(0),
  AWAITING_PAYMENT: exactly(0),
  PAYMENT_FAILED: exactly(0),
  REFUND_NOTICE: exactly(0),
  PAYMENT_EXPIRED: exactly(0),
});

/**
 * What one order must look like once every event has been delivered (or reconciled).
 *
 * Emails: the confirmation goes once per order, the refund notice once per order, "awaiting
 * payment" and "payment failed" once per checkout attempt (one attempt here). The transition
 * service applies Stripe's truth as it is when an event is processed, so when a delayed debit
 * has already settled by the time its `checkout.session.completed` is first applied (the
 * delivery was retried across a restart, shuffled behind the outcome, or dropped), the
 * "awaiting payment" step is skipped and its email is never due: that email is 0 or 1.
 */
export function expectedFor(order: PlannedOrder): Expected {
  const emails = noEmails();
  const total = order.amountTotal;
  switch (order.scenario) {
    case "card_success":
      emails.ORDER_CONFIRMATION = exactly(1);
      return base("PAID", "PAID", "COMMITTED", 0, total, 0, emails);
    case "async_success":
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.AWAITING_PAYMENT = [0, 1];
      return base("PAID", "PAID", "COMMITTED", 0, total, 0, emails);
    case "async_failure":
      emails.AWAITING_PAYMENT = [0, 1];
      emails.PAYMENT_FAILED = exactly(1);
      return base("FAILED", "FAILED", "RELEASED", 0, 0, 0, emails);
    case "decline_then_expire":
    case "expiry":
      return base("EXPIRED", "UNPAID", "RELEASED", 0, 0, 0, emails);
    case "refund_partial":
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.REFUND_NOTICE = exactly(1);
      return base("PAID", "PARTIALLY_REFUNDED", "COMMITTED", order.refundAmount, total, order.refundAmount, emails);
    case "refund_full":
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.REFUND_NOTICE = exactly(1);
      return base("REFUNDED", "REFUNDED", "COMMITTED", total, total, total, emails);
  }
}

function base(
  status: Expected["status"],
  paymentStatus: Expected["paymentStatus"],
  stockState: Expected["stockState"],
  amountRefunded: number,
  charges: number,
  refunds: number,
  emails: Expected["emails"],
): Expected {
  return { status, paymentStatus, stockState, amountRefunded, charges, refunds, emails };
}

/** Per product: stock on hand and reserved once every order has reached its final state. */
export function expectedStock(plan: Plan): Array<{ stockOnHand: number; stockReserved: number }> {
  const sold = new Array<number>(plan.products.length).fill(0);
  for (const order of plan.orders) {
    if (expectedFor(order).stockState !== "COMMITTED") continue;
    for (const l of order.lines) sold[l.product] = (sold[l.product] ?? 0) + l.quantity;
  }
  return plan.products.map((p) => ({ stockOnHand: p.stockOnHand - (sold[p.index] ?? 0), stockReserved: 0 }));
}
