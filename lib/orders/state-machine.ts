/**
 * The order state machine. Pure: no database, Stripe or Next imports, so every rule is
 * tested directly. Given an order and what Stripe currently knows about one of its Checkout
 * sessions, it decides the order's next state and the side effects of getting there.
 *
 * Rules (ARCHITECTURE.md, "Order states"):
 * - Monotonic: PENDING < FAILED | EXPIRED < PAID < REFUNDED. A late or repeated event never
 *   moves an order backwards; money received outranks an earlier failure or expiry.
 * - Only the current Checkout session can fail or expire an order; an earlier attempt's
 *   session can only bring good news (a payment).
 * - A paid amount or currency that differs from the order's marks it for review instead of PAID.
 * - Stock moves and emails happen once per transition, guarded by `stockState` and the
 *   outbox's dedupe keys.
 */

// The order's words. The database's enums say the same (state-machine.words.test.ts checks
// that they match), but the rules stay free of the database client.
export type OrderStatus = "PENDING" | "PAID" | "FAILED" | "EXPIRED" | "REFUNDED";
export type PaymentStatus = "UNPAID" | "AWAITING_PAYMENT" | "PAID" | "FAILED" | "PARTIALLY_REFUNDED" | "REFUNDED";
export type StockState = "RESERVED" | "COMMITTED" | "RELEASED";

/** The emails a payment transition sends. */
export const PAYMENT_EMAIL_KINDS = [
  "ORDER_CONFIRMATION",
  "AWAITING_PAYMENT",
  "PAYMENT_FAILED",
  "REFUND_NOTICE",
  "PAYMENT_EXPIRED",
] as const;
export type PaymentEmailKind = (typeof PAYMENT_EMAIL_KINDS)[number];
/** Emails about an order sent outside a payment transition: on request, or by a job or an admin. */
export const OTHER_EMAIL_KINDS = ["ORDER_LINK", "TRANSFER_INSTRUCTIONS", "PAYMENT_REMINDER", "PAYMENT_LINK"] as const;
/** Every email the store sends about an order. */
export type EmailKind = PaymentEmailKind | (typeof OTHER_EMAIL_KINDS)[number];

export type OrderState = {
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  stockState: StockState;
  amountTotal: number;
  currency: string;
  amountRefunded: number;
  needsReview: boolean;
  reviewReason: string | null;
  disputed: boolean;
};

/** What Stripe says about one Checkout session, in the app's terms. */
export type PaymentFacts = {
  /** Whether this is the session the order is paying through now. */
  currentSession: boolean;
  sessionStatus: "open" | "complete" | "expired";
  paymentStatus: "paid" | "unpaid" | "no_payment_required";
  amountTotal: number | null;
  currency: string | null;
  /** Status of the session's payment intent, if one exists. */
  paymentIntentStatus: string | null;
  /** Sum of refunds that succeeded or are pending. */
  amountRefunded: number;
  /** True while any dispute is open or was lost. */
  disputed: boolean;
};

export type StockMove = "commit" | "commit-from-shelf" | "release";

export type Decision = {
  next: OrderState;
  stock: StockMove | null;
  emails: PaymentEmailKind[];
  changed: boolean;
};

const STATUS_RANK: Record<OrderStatus, number> = { PENDING: 0, FAILED: 1, EXPIRED: 1, PAID: 2, REFUNDED: 3 };

/** What the facts alone say the order's status should be. */
export function targetStatus(
  facts: PaymentFacts,
  order: Pick<OrderState, "amountTotal">,
): {
  status: OrderStatus;
  awaiting: boolean;
} {
  const paid = facts.paymentStatus === "paid" || facts.paymentStatus === "no_payment_required";
  if (paid) {
    const fullyRefunded = facts.amountRefunded > 0 && facts.amountRefunded >= order.amountTotal;
    return { status: fullyRefunded ? "REFUNDED" : "PAID", awaiting: false };
  }
  if (facts.sessionStatus === "expired") return { status: "EXPIRED", awaiting: false };
  if (facts.sessionStatus === "complete") {
    // A completed but unpaid session is a delayed payment: processing until it fails.
    const failed = facts.paymentIntentStatus === "requires_payment_method" || facts.paymentIntentStatus === "canceled";
    return failed ? { status: "FAILED", awaiting: false } : { status: "PENDING", awaiting: true };
  }
  return { status: "PENDING", awaiting: false };
}

function amountMismatch(facts: PaymentFacts, order: OrderState): string | null {
  if (facts.amountTotal === order.amountTotal && facts.currency?.toLowerCase() === order.currency.toLowerCase())
    return null;
  return `Stripe reported ${facts.amountTotal ?? "no amount"} ${facts.currency ?? ""}, the order totals ${order.amountTotal} ${order.currency}`;
}

function paymentStatusFor(status: OrderStatus, awaiting: boolean, amountRefunded: number): PaymentStatus {
  switch (status) {
    case "PAID":
      return amountRefunded > 0 ? "PARTIALLY_REFUNDED" : "PAID";
    case "REFUNDED":
      return "REFUNDED";
    case "FAILED":
      return "FAILED";
    case "EXPIRED":
      return "UNPAID";
    case "PENDING":
      return awaiting ? "AWAITING_PAYMENT" : "UNPAID";
  }
}

/** Decides the order's next state from Stripe's facts about one of its sessions. */
export function decide(order: OrderState, facts: PaymentFacts): Decision {
  const target = targetStatus(facts, order);
  const next: OrderState = {
    ...order,
    amountRefunded: Math.max(order.amountRefunded, facts.amountRefunded),
    disputed: facts.disputed || (order.disputed && !facts.currentSession),
  };
  const emails: PaymentEmailKind[] = [];
  let stock: StockMove | null = null;

  const goodNews = target.status === "PAID" || target.status === "REFUNDED";
  // An earlier attempt's session cannot fail, expire or re-open the order.
  const applicable = facts.currentSession || goodNews;
  const mismatch = goodNews ? amountMismatch(facts, order) : null;

  if (applicable && mismatch) {
    next.needsReview = true;
    next.reviewReason = mismatch;
    if (order.status === "PENDING") next.paymentStatus = "PAID";
  } else if (applicable && STATUS_RANK[target.status] > STATUS_RANK[order.status]) {
    next.status = target.status;
    if (goodNews && order.stockState !== "COMMITTED") {
      stock = order.stockState === "RESERVED" ? "commit" : "commit-from-shelf";
      next.stockState = "COMMITTED";
    }
    if (!goodNews && order.stockState === "RESERVED") {
      stock = "release";
      next.stockState = "RELEASED";
    }
    if (goodNews && STATUS_RANK[order.status] < STATUS_RANK.PAID) emails.push("ORDER_CONFIRMATION");
    if (target.status === "FAILED") emails.push("PAYMENT_FAILED");
  } else if (applicable && order.status === "PENDING" && target.status === "PENDING" && target.awaiting) {
    // Only news to a shopper still unpaid: not again, and not once money is held for review.
    if (order.paymentStatus === "UNPAID") emails.push("AWAITING_PAYMENT");
  }

  // A full refund can also arrive for an order that is already PAID.
  if (next.status === "PAID" && next.amountRefunded > 0 && next.amountRefunded >= next.amountTotal)
    next.status = "REFUNDED";
  if (next.amountRefunded > order.amountRefunded && (next.status === "PAID" || next.status === "REFUNDED")) {
    emails.push("REFUND_NOTICE");
  }

  const heldForReview =
    next.needsReview && next.status === "PENDING" && (mismatch !== null || order.paymentStatus === "PAID");
  if (heldForReview) {
    // Money arrived but the order is not marked paid until someone looks at it.
    next.paymentStatus = "PAID";
  } else {
    const awaiting = order.paymentStatus === "AWAITING_PAYMENT" || (applicable && target.awaiting);
    next.paymentStatus = paymentStatusFor(next.status, awaiting, next.amountRefunded);
  }

  const changed = (Object.keys(next) as Array<keyof OrderState>).some((key) => next[key] !== order[key]);
  return { next, stock, emails, changed };
}

/**
 * A payment for an order that another payment intent already paid (two sessions of one
 * payment link, or two checkout attempts, both paid): it is never applied a second time. The
 * order keeps its first payment and goes to an admin to refund one; the reason says which.
 * Null when the payment is the order's own, or not a payment.
 */
export function secondPayment(
  order: Pick<OrderState, "status" | "paymentStatus">,
  paidBy: string | null,
  facts: { paymentStatus: PaymentFacts["paymentStatus"]; paymentIntentId: string | null },
): string | null {
  const paysNow = facts.paymentStatus !== "unpaid";
  const alreadyPaid =
    order.status === "PAID" ||
    order.status === "REFUNDED" ||
    order.paymentStatus === "PAID" ||
    order.paymentStatus === "PARTIALLY_REFUNDED";
  if (!paysNow || !alreadyPaid || !paidBy || !facts.paymentIntentId || facts.paymentIntentId === paidBy) return null;
  return `Paid twice: ${paidBy} and ${facts.paymentIntentId}; refund one`;
}

/**
 * Closes an order nobody paid (an admin cancelled it, or its payment deadline passed): it
 * expires, its stock returns and the customer is told. An order with money received, or a
 * payment on its way (a debit being collected), is left as it is, unless that payment is the
 * one cancelled (`paymentCanceled`: a bank transfer Stripe cancelled at the deadline).
 */
export function closeUnpaid(order: OrderState, options: { paymentCanceled?: boolean } = {}): Decision {
  const unpaid =
    order.paymentStatus === "UNPAID" ||
    (options.paymentCanceled === true && order.paymentStatus === "AWAITING_PAYMENT");
  if (order.status !== "PENDING" || !unpaid) return { next: order, stock: null, emails: [], changed: false };
  const release = order.stockState === "RESERVED";
  return {
    next: {
      ...order,
      status: "EXPIRED",
      paymentStatus: "UNPAID",
      stockState: release ? "RELEASED" : order.stockState,
    },
    stock: release ? "release" : null,
    emails: ["PAYMENT_EXPIRED"],
    changed: true,
  };
}
