/**
 * The chaos run's plan and its oracle. Pure: from a seed it decides every order (items,
 * scenario, refund amount) and, from that plan alone, what the database must hold at the end.
 * It deliberately does not import the app's rules, only the names of its emails: the
 * expectations below are written out from ARCHITECTURE.md ("Order states") and the pipeline
 * tests, so a regression there shows up here.
 */
import { type EmailKind as StoreEmailKind, PAYMENT_EMAIL_KINDS } from "@/lib/orders/state-machine";

export type ScenarioName =
  | "card_success"
  | "decline_then_expire"
  | "async_success"
  | "async_failure"
  | "expiry"
  | "refund_partial"
  | "refund_full"
  // Pay later by bank transfer: funded in full at once, in two parts, with more than the order
  // asks for; or left past its deadline, with nothing or a part received.
  | "transfer_full"
  | "transfer_partial"
  | "transfer_overfund"
  | "transfer_expiry"
  | "transfer_partial_expiry"
  // An order an admin sends as a payment link: paid once, paid through two sessions in a race,
  // or left unpaid past its deadline.
  | "link_paid"
  | "link_double"
  | "link_expiry";

/** The new flows together are 22 of 122 (18 %): enough to matter, cheap enough in wall time. */
export const SCENARIOS: ReadonlyArray<{ name: ScenarioName; weight: number }> = [
  { name: "card_success", weight: 30 },
  { name: "decline_then_expire", weight: 10 },
  { name: "async_success", weight: 15 },
  { name: "async_failure", weight: 10 },
  { name: "expiry", weight: 10 },
  { name: "refund_partial", weight: 12.5 },
  { name: "refund_full", weight: 12.5 },
  { name: "transfer_full", weight: 4 },
  { name: "transfer_partial", weight: 4 },
  { name: "transfer_overfund", weight: 3 },
  { name: "transfer_expiry", weight: 2 },
  { name: "transfer_partial_expiry", weight: 2 },
  { name: "link_paid", weight: 3 },
  { name: "link_double", weight: 2 },
  { name: "link_expiry", weight: 2 },
];

/** Scenarios whose order is closed by the store's deadline job (the run moves the deadline into the past). */
export const DEADLINE_SCENARIOS: ReadonlySet<ScenarioName> = new Set([
  "transfer_expiry",
  "transfer_partial_expiry",
  "link_expiry",
]);

export const isTransfer = (s: ScenarioName) => s.startsWith("transfer_");
export const isLink = (s: ScenarioName) => s.startsWith("link_");

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
  /** Only for bank transfers: the amounts the shopper sends, in order (their sum may exceed the total). */
  transferParts: number[];
  /** Shopper "think time" before paying, and before the follow-up action (refund / expire). */
  payDelayMs: number;
  followUpDelayMs: number;
};

export type Plan = { seed: number; products: PlannedProduct[]; orders: PlannedOrder[] };

/** The emails the oracle counts: those of the payment flow, and those of paying later. */
export type EmailKind = Exclude<StoreEmailKind, "ORDER_LINK">;
export const EMAIL_KINDS: readonly EmailKind[] = [
  ...PAYMENT_EMAIL_KINDS,
  "TRANSFER_INSTRUCTIONS",
  "PAYMENT_REMINDER",
  "PAYMENT_LINK",
];

export type Expected = {
  status: "PAID" | "FAILED" | "EXPIRED" | "REFUNDED";
  paymentStatus: "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "FAILED" | "UNPAID";
  stockState: "COMMITTED" | "RELEASED";
  amountRefunded: number;
  /** What the order's payment took from the shopper, and what they sent that no payment took. */
  amountReceived: number;
  amountUnapplied: number;
  /** Sum and number of CHARGE rows in the ledger. */
  charges: number;
  chargeRows: number;
  refunds: number;
  needsReview: boolean;
  /** Words the review reason must contain, when the scenario says why. */
  reviewMentions: string | null;
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
    const part = Math.min(amountTotal - 1, Math.max(1, Math.floor(amountTotal * fraction)));
    const surplus = int(random, 1, 5000);
    const twoParts = random() < 0.5;
    orders.push({
      index,
      scenario,
      lines,
      email: `chaos+${seed}-${index}@example.test`,
      amountTotal,
      refundAmount: scenario === "refund_partial" ? part : 0,
      transferParts: transferParts(scenario, amountTotal, part, surplus, twoParts),
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

function transferParts(
  scenario: ScenarioName,
  total: number,
  part: number,
  surplus: number,
  twoParts: boolean,
): number[] {
  switch (scenario) {
    case "transfer_full":
      return [total];
    case "transfer_partial":
      return [part, total - part];
    case "transfer_overfund":
      return twoParts ? [part, total - part + surplus] : [total + surplus];
    case "transfer_partial_expiry":
      return [part];
    default:
      return [];
  }
}

/** What the shopper sent by bank transfer, in all. */
export const transferSent = (order: PlannedOrder) => order.transferParts.reduce((sum, a) => sum + a, 0);

const exactly = (n: number): [number, number] => [n, n];
const noEmails = (): Record<EmailKind, [number, number]> => ({
  ORDER_CONFIRMATION: exactly(0),
  AWAITING_PAYMENT: exactly(0),
  PAYMENT_FAILED: exactly(0),
  REFUND_NOTICE: exactly(0),
  PAYMENT_EXPIRED: exactly(0),
  TRANSFER_INSTRUCTIONS: exactly(0),
  PAYMENT_REMINDER: exactly(0),
  PAYMENT_LINK: exactly(0),
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
 *
 * Paying later: a bank transfer is awaited with its instructions instead of "awaiting payment",
 * sent once when the order reaches them unpaid (0 or 1 when the funds' events are applied
 * first; exactly 1 before a deadline, as the run waits for the shopper to see them). Money
 * the order did not take stays on the shopper's cash balance, unapplied and flagged for review:
 * the surplus of an overpayment, or what had arrived when the deadline cancelled the payment.
 * A payment link is emailed once; two sessions of it paid in a race make one paid order with
 * both charges in the ledger, flagged for a refund. A deadline expires the order once, with
 * an email, and no reminder is due (the deadlines are days away until the run moves them).
 */
export function expectedFor(order: PlannedOrder): Expected {
  const emails = noEmails();
  const total = order.amountTotal;
  const paid = (received = total) => ({
    status: "PAID" as const,
    paymentStatus: "PAID" as const,
    stockState: "COMMITTED" as const,
    amountReceived: received,
    charges: total,
    chargeRows: 1,
  });
  const unpaid = (status: "FAILED" | "EXPIRED") => ({
    status,
    paymentStatus: status === "FAILED" ? ("FAILED" as const) : ("UNPAID" as const),
    stockState: "RELEASED" as const,
    amountReceived: 0,
    charges: 0,
    chargeRows: 0,
  });
  switch (order.scenario) {
    case "card_success":
      emails.ORDER_CONFIRMATION = exactly(1);
      return expected(paid(), emails);
    case "async_success":
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.AWAITING_PAYMENT = [0, 1];
      return expected(paid(), emails);
    case "async_failure":
      emails.AWAITING_PAYMENT = [0, 1];
      emails.PAYMENT_FAILED = exactly(1);
      return expected(unpaid("FAILED"), emails);
    case "decline_then_expire":
    case "expiry":
      return expected(unpaid("EXPIRED"), emails);
    case "refund_partial":
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.REFUND_NOTICE = exactly(1);
      return expected(
        {
          ...paid(),
          paymentStatus: "PARTIALLY_REFUNDED",
          amountRefunded: order.refundAmount,
          refunds: order.refundAmount,
        },
        emails,
      );
    case "refund_full":
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.REFUND_NOTICE = exactly(1);
      return expected(
        { ...paid(), status: "REFUNDED", paymentStatus: "REFUNDED", amountRefunded: total, refunds: total },
        emails,
      );
    case "transfer_full":
    case "transfer_partial":
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.TRANSFER_INSTRUCTIONS = [0, 1];
      return expected(paid(), emails);
    case "transfer_overfund": {
      emails.ORDER_CONFIRMATION = exactly(1);
      emails.TRANSFER_INSTRUCTIONS = [0, 1];
      const surplus = transferSent(order) - total;
      return expected({ ...paid(), amountUnapplied: surplus, needsReview: true }, emails);
    }
    case "transfer_expiry":
    case "transfer_partial_expiry": {
      emails.TRANSFER_INSTRUCTIONS = exactly(1);
      emails.PAYMENT_EXPIRED = exactly(1);
      const sent = transferSent(order);
      return expected(
        { ...unpaid("EXPIRED"), amountReceived: sent, amountUnapplied: sent, needsReview: sent > 0 },
        emails,
      );
    }
    case "link_paid":
      emails.PAYMENT_LINK = exactly(1);
      emails.ORDER_CONFIRMATION = exactly(1);
      return expected(paid(), emails);
    case "link_double":
      emails.PAYMENT_LINK = exactly(1);
      emails.ORDER_CONFIRMATION = exactly(1);
      return expected(
        { ...paid(), charges: 2 * total, chargeRows: 2, needsReview: true, reviewMentions: "Paid twice" },
        emails,
      );
    case "link_expiry":
      emails.PAYMENT_LINK = exactly(1);
      emails.PAYMENT_EXPIRED = exactly(1);
      return expected(unpaid("EXPIRED"), emails);
  }
}

function expected(
  outcome: Pick<Expected, "status" | "paymentStatus" | "stockState" | "amountReceived" | "charges" | "chargeRows"> &
    Partial<Expected>,
  emails: Expected["emails"],
): Expected {
  return {
    amountRefunded: 0,
    amountUnapplied: 0,
    refunds: 0,
    needsReview: false,
    reviewMentions: null,
    ...outcome,
    emails,
  };
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
