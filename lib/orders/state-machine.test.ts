import { describe, expect, test } from "vitest";
import { closeUnpaid, decide, type OrderState, type PaymentFacts, secondPayment } from "./state-machine";

const order = (over: Partial<OrderState> = {}): OrderState => ({
  status: "PENDING",
  paymentStatus: "UNPAID",
  stockState: "RESERVED",
  amountTotal: 5000,
  currency: "eur",
  amountRefunded: 0,
  needsReview: false,
  reviewReason: null,
  disputed: false,
  ...over,
});

const facts = (over: Partial<PaymentFacts> = {}): PaymentFacts => ({
  currentSession: true,
  sessionStatus: "open",
  paymentStatus: "unpaid",
  amountTotal: 5000,
  currency: "eur",
  paymentIntentStatus: null,
  amountRefunded: 0,
  disputed: false,
  ...over,
});

const PAID = facts({ sessionStatus: "complete", paymentStatus: "paid", paymentIntentStatus: "succeeded" });
const AWAITING = facts({ sessionStatus: "complete", paymentStatus: "unpaid", paymentIntentStatus: "processing" });
const ASYNC_FAILED = facts({
  sessionStatus: "complete",
  paymentStatus: "unpaid",
  paymentIntentStatus: "requires_payment_method",
});
const EXPIRED = facts({ sessionStatus: "expired" });

describe("order state machine", () => {
  test.each([
    {
      name: "card paid",
      from: order(),
      with: PAID,
      status: "PAID",
      payment: "PAID",
      stock: "commit",
      emails: ["ORDER_CONFIRMATION"],
    },
    {
      name: "direct debit started",
      from: order(),
      with: AWAITING,
      status: "PENDING",
      payment: "AWAITING_PAYMENT",
      stock: null,
      emails: ["AWAITING_PAYMENT"],
    },
    {
      name: "direct debit succeeded",
      from: order({ paymentStatus: "AWAITING_PAYMENT" }),
      with: PAID,
      status: "PAID",
      payment: "PAID",
      stock: "commit",
      emails: ["ORDER_CONFIRMATION"],
    },
    {
      name: "direct debit failed",
      from: order({ paymentStatus: "AWAITING_PAYMENT" }),
      with: ASYNC_FAILED,
      status: "FAILED",
      payment: "FAILED",
      stock: "release",
      emails: ["PAYMENT_FAILED"],
    },
    {
      name: "checkout expired",
      from: order(),
      with: EXPIRED,
      status: "EXPIRED",
      payment: "UNPAID",
      stock: "release",
      emails: [],
    },
    { name: "still open", from: order(), with: facts(), status: "PENDING", payment: "UNPAID", stock: null, emails: [] },
    {
      name: "partial refund",
      from: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      with: { ...PAID, amountRefunded: 1000 },
      status: "PAID",
      payment: "PARTIALLY_REFUNDED",
      stock: null,
      emails: ["REFUND_NOTICE"],
    },
    {
      name: "full refund",
      from: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      with: { ...PAID, amountRefunded: 5000 },
      status: "REFUNDED",
      payment: "REFUNDED",
      stock: null,
      emails: ["REFUND_NOTICE"],
    },
    {
      name: "refund seen before the payment",
      from: order(),
      with: { ...PAID, amountRefunded: 5000 },
      status: "REFUNDED",
      payment: "REFUNDED",
      stock: "commit",
      emails: ["ORDER_CONFIRMATION", "REFUND_NOTICE"],
    },
    {
      name: "paid after expiry",
      from: order({ status: "EXPIRED", stockState: "RELEASED" }),
      with: PAID,
      status: "PAID",
      payment: "PAID",
      stock: "commit-from-shelf",
      emails: ["ORDER_CONFIRMATION"],
    },
  ] as const)("$name", ({ from, with: f, status, payment, stock, emails }) => {
    const d = decide(from, f);
    expect(d.next.status).toBe(status);
    expect(d.next.paymentStatus).toBe(payment);
    expect(d.stock).toBe(stock);
    expect(d.emails).toEqual(emails);
  });

  test.each([
    {
      name: "unpaid completion after success",
      from: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      with: AWAITING,
    },
    {
      name: "failure after success",
      from: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      with: ASYNC_FAILED,
    },
    {
      name: "expiry after success",
      from: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      with: EXPIRED,
    },
    { name: "open session after awaiting", from: order({ paymentStatus: "AWAITING_PAYMENT" }), with: facts() },
    {
      name: "expiry after failure",
      from: order({ status: "FAILED", paymentStatus: "FAILED", stockState: "RELEASED" }),
      with: EXPIRED,
    },
    {
      name: "smaller refund after a larger one",
      from: order({
        status: "PAID",
        paymentStatus: "PARTIALLY_REFUNDED",
        stockState: "COMMITTED",
        amountRefunded: 2000,
      }),
      with: { ...PAID, amountRefunded: 1000 },
    },
  ])("never moves backwards: $name", ({ from, with: f }) => {
    const d = decide(from, f);
    expect(d.changed).toBe(false);
    expect(d.next).toEqual(from);
    expect(d.stock).toBeNull();
    expect(d.emails).toEqual([]);
  });

  test("applying the same facts twice changes nothing the second time", () => {
    for (const f of [PAID, AWAITING, ASYNC_FAILED, EXPIRED, { ...PAID, amountRefunded: 1200 }]) {
      const once = decide(order(), f);
      const twice = decide(once.next, f);
      expect(twice.changed).toBe(false);
      expect(twice.stock).toBeNull();
      expect(twice.emails).toEqual([]);
    }
  });

  test("an earlier attempt's session cannot fail or expire the order, but can pay it", () => {
    const retried = order();
    expect(decide(retried, { ...EXPIRED, currentSession: false }).changed).toBe(false);
    expect(decide(retried, { ...ASYNC_FAILED, currentSession: false }).changed).toBe(false);
    expect(decide(retried, { ...PAID, currentSession: false }).next.status).toBe("PAID");
  });

  test.each([
    { amountTotal: 4999, currency: "eur" },
    { amountTotal: 5000, currency: "usd" },
    { amountTotal: null, currency: null },
  ])("a paid amount of $amountTotal $currency is held for review, not marked paid", (reported) => {
    const d = decide(order(), { ...PAID, ...reported });
    expect(d.next.status).toBe("PENDING");
    expect(d.next.paymentStatus).toBe("PAID");
    expect(d.next.needsReview).toBe(true);
    expect(d.next.reviewReason).toMatch(/order totals 5000 eur/);
    expect(d.stock).toBeNull();
    expect(d.emails).toEqual([]);
    // A later event for the same session does not quietly clear the review.
    expect(decide(d.next, facts()).next).toMatchObject({ needsReview: true, paymentStatus: "PAID", status: "PENDING" });
  });

  test("disputes raise a flag without changing the status", () => {
    const paid = order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" });
    const d = decide(paid, { ...PAID, disputed: true });
    expect(d.next).toMatchObject({ status: "PAID", disputed: true });
    expect(decide(d.next, PAID).next.disputed).toBe(false);
  });
});

describe("a second payment for one order", () => {
  test.each([
    {
      name: "a different payment intent paying a paid order is caught, naming both",
      order: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      paidBy: "pi_A",
      facts: { paymentStatus: "paid", paymentIntentId: "pi_B" },
      reason: "Paid twice: pi_A and pi_B; refund one",
    },
    {
      name: "also when the order was partly refunded",
      order: order({ status: "PAID", paymentStatus: "PARTIALLY_REFUNDED", stockState: "COMMITTED" }),
      paidBy: "pi_A",
      facts: { paymentStatus: "paid", paymentIntentId: "pi_B" },
      reason: "Paid twice: pi_A and pi_B; refund one",
    },
    {
      name: "also when the first payment is held for review (paid but still pending)",
      order: order({ paymentStatus: "PAID", needsReview: true }),
      paidBy: "pi_A",
      facts: { paymentStatus: "paid", paymentIntentId: "pi_B" },
      reason: "Paid twice: pi_A and pi_B; refund one",
    },
    {
      name: "the same payment again is the order's own",
      order: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      paidBy: "pi_A",
      facts: { paymentStatus: "paid", paymentIntentId: "pi_A" },
      reason: null,
    },
    {
      name: "a first payment is not a second one",
      order: order(),
      paidBy: null,
      facts: { paymentStatus: "paid", paymentIntentId: "pi_B" },
      reason: null,
    },
    {
      name: "a debit still being collected pays nothing yet",
      order: order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
      paidBy: "pi_A",
      facts: { paymentStatus: "unpaid", paymentIntentId: "pi_B" },
      reason: null,
    },
    {
      name: "a pending order whose debit is on its way is not paid yet",
      order: order({ paymentStatus: "AWAITING_PAYMENT" }),
      paidBy: "pi_A",
      facts: { paymentStatus: "paid", paymentIntentId: "pi_B" },
      reason: null,
    },
  ] as const)("$name", ({ order: state, paidBy, facts: payment, reason }) => {
    expect(secondPayment(state, paidBy, payment)).toBe(reason);
  });
});

describe("closing an unpaid order", () => {
  test("it expires, releases its reserved stock and tells the customer, once", () => {
    const closed = closeUnpaid(order());
    expect(closed).toEqual({
      next: order({ status: "EXPIRED", stockState: "RELEASED" }),
      stock: "release",
      emails: ["PAYMENT_EXPIRED"],
      changed: true,
    });
    expect(closeUnpaid(closed.next)).toMatchObject({ stock: null, emails: [], changed: false });
  });

  test.each([
    order({ status: "PAID", paymentStatus: "PAID", stockState: "COMMITTED" }),
    order({ paymentStatus: "AWAITING_PAYMENT" }),
    order({ paymentStatus: "PAID", needsReview: true }),
    order({ status: "FAILED", paymentStatus: "FAILED", stockState: "RELEASED" }),
  ])("an order with money received or on its way is left as it is (%o)", (state) => {
    expect(closeUnpaid(state)).toEqual({ next: state, stock: null, emails: [], changed: false });
  });
});
