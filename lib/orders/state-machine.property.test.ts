/**
 * Property-based tests of the order state machine (`decide`) with fast-check.
 *
 * Each payment lifecycle is written as the canonical sequence of what Stripe reports about
 * the Checkout session after each of its events (a "truth" snapshot). Two delivery models:
 *
 * - Realistic: fulfillment re-reads Stripe's current truth on every delivery
 *   (`fulfillCheckout` → `retrieveCheckoutSnapshot` → `factsFrom`), so a delivery applies the
 *   truth as of its delivery time, whatever event it carries. Deliveries are delayed,
 *   reordered and duplicated at will.
 * - Harsh: a delivery applies a stale snapshot (the truth as of its event, not of its
 *   delivery), in any order and any number of times; e.g. a reconciler that read Stripe
 *   before a webhook committed.
 *
 * In both, the final state must equal the canonical final state (for the harsh model: once
 * the latest truth has been applied last, as Stripe retries and the reconciler guarantee),
 * and no step may regress: the status rank (PENDING < FAILED | EXPIRED < PAID < REFUNDED, as
 * documented in state-machine.ts) never decreases, amountRefunded never decreases, a paid
 * order never returns to PENDING, and each email kind and stock move happens at most once.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  decide,
  type EmailKind,
  type OrderState,
  type OrderStatus,
  type PaymentFacts,
  type StockMove,
} from "./state-machine";

const NUM_RUNS = 500;
const RANK: Record<OrderStatus, number> = { PENDING: 0, FAILED: 1, EXPIRED: 1, PAID: 2, REFUNDED: 3 };
const TOTAL = 5000;

const initialOrder = (): OrderState => ({
  status: "PENDING",
  paymentStatus: "UNPAID",
  stockState: "RESERVED",
  amountTotal: TOTAL,
  currency: "eur",
  amountRefunded: 0,
  needsReview: false,
  reviewReason: null,
  disputed: false,
});

const facts = (over: Partial<PaymentFacts> = {}): PaymentFacts => ({
  currentSession: true,
  sessionStatus: "open",
  paymentStatus: "unpaid",
  amountTotal: TOTAL,
  currency: "eur",
  paymentIntentStatus: null,
  amountRefunded: 0,
  disputed: false,
  ...over,
});

const OPEN = facts();
const PAID = facts({ sessionStatus: "complete", paymentStatus: "paid", paymentIntentStatus: "succeeded" });
const AWAITING = facts({ sessionStatus: "complete", paymentStatus: "unpaid", paymentIntentStatus: "processing" });
const ASYNC_FAILED = facts({
  sessionStatus: "complete",
  paymentStatus: "unpaid",
  paymentIntentStatus: "requires_payment_method",
});
const EXPIRED = facts({ sessionStatus: "expired" });
const refunded = (amount: number, over: Partial<PaymentFacts> = {}) => ({ ...PAID, amountRefunded: amount, ...over });

/** Stripe's truth after each event of a lifecycle, in the order the events happen. */
const LIFECYCLES: Record<string, PaymentFacts[]> = {
  "card success": [OPEN, PAID, PAID],
  "async success": [OPEN, AWAITING, AWAITING, PAID],
  "async failure": [OPEN, AWAITING, ASYNC_FAILED],
  expiry: [OPEN, EXPIRED],
  "success, partial refunds, full refund": [PAID, refunded(1000), refunded(2500), refunded(TOTAL)],
  "success, one partial refund": [PAID, refunded(1200)],
  "async success then full refund": [AWAITING, PAID, refunded(TOTAL)],
  "dispute opened then closed (won)": [PAID, { ...PAID, disputed: true }, PAID],
  "dispute opened and lost": [PAID, { ...PAID, disputed: true }, { ...PAID, disputed: true }],
  "partial refund then dispute": [PAID, refunded(700), refunded(700, { disputed: true })],
};

type Trace = { states: OrderState[]; emails: EmailKind[]; stock: StockMove[] };

function run(snapshots: PaymentFacts[], start: OrderState = initialOrder()): Trace {
  const trace: Trace = { states: [start], emails: [], stock: [] };
  let order = start;
  for (const f of snapshots) {
    const d = decide(order, f);
    trace.emails.push(...d.emails);
    if (d.stock) trace.stock.push(d.stock);
    order = d.next;
    trace.states.push(order);
  }
  return trace;
}

const last = <T>(xs: T[]): T => {
  const x = xs[xs.length - 1];
  if (x === undefined) throw new Error("empty");
  return x;
};

/** The monotonicity and once-only rules every trace must satisfy. */
function assertNoRegression(trace: Trace): void {
  for (let i = 1; i < trace.states.length; i += 1) {
    const before = trace.states[i - 1] as OrderState;
    const after = trace.states[i] as OrderState;
    expect(RANK[after.status]).toBeGreaterThanOrEqual(RANK[before.status]);
    expect(after.amountRefunded).toBeGreaterThanOrEqual(before.amountRefunded);
    if (before.status === "PAID" || before.status === "REFUNDED") expect(after.status).not.toBe("PENDING");
    if (before.stockState === "COMMITTED") expect(after.stockState).toBe("COMMITTED");
    if (before.needsReview) expect(after.needsReview).toBe(true);
  }
  const count = (kind: EmailKind) => trace.emails.filter((e) => e === kind).length;
  // One checkout attempt: the outbox's dedupe keys are per kind (+ attempt), so each of these
  // must be produced at most once by the state machine itself.
  expect(count("ORDER_CONFIRMATION")).toBeLessThanOrEqual(1);
  expect(count("PAYMENT_FAILED")).toBeLessThanOrEqual(1);
  expect(count("AWAITING_PAYMENT")).toBeLessThanOrEqual(1);
  // A refund notice is only produced when the refunded amount grows, which it does at most
  // once per distinct amount.
  const refundSteps = new Set(trace.states.map((s) => s.amountRefunded).filter((a) => a > 0)).size;
  expect(count("REFUND_NOTICE")).toBeLessThanOrEqual(refundSteps);
  // Stock moves at most once for a single checkout attempt, and never both ways.
  expect(trace.stock.length).toBeLessThanOrEqual(1);
}

/** Facts that matter for the final state (disputed is current truth, checked separately). */
function essentials(order: OrderState) {
  return {
    status: order.status,
    paymentStatus: order.paymentStatus,
    stockState: order.stockState,
    amountRefunded: order.amountRefunded,
    needsReview: order.needsReview,
  };
}

/**
 * Deliveries of a lifecycle's events: every event is delivered at least once and up to 3
 * times, each after a random delay; the list is returned in delivery order. A delivery
 * records the event it carries and when it reaches the app (in event-index time units).
 */
function deliveriesArb(eventCount: number) {
  return fc
    .tuple(
      ...Array.from({ length: eventCount }, (_, event) =>
        fc
          .array(fc.double({ min: 0, max: eventCount + 2, noNaN: true }), { minLength: 1, maxLength: 3 })
          .map((delays) => delays.map((delay) => ({ event, at: event + delay }))),
      ),
    )
    .chain((perEvent) => fc.shuffledSubarray(perEvent.flat(), { minLength: perEvent.flat().length }))
    .map((all) => [...all].sort((a, b) => a.at - b.at));
}

describe.each(Object.entries(LIFECYCLES))("lifecycle: %s", (_name, truth) => {
  const canonical = run(truth);
  const canonicalFinal = last(canonical.states);

  test("the canonical order itself never regresses", () => {
    assertNoRegression(canonical);
  });

  test("realistic: deliveries reordered and duplicated, each re-reading Stripe's current truth", () => {
    fc.assert(
      fc.property(deliveriesArb(truth.length), (deliveries) => {
        // What Stripe says at delivery time: the latest event that has happened by then.
        const applied = deliveries.map(({ at }) => truth[Math.min(Math.floor(at), truth.length - 1)] as PaymentFacts);
        const trace = run(applied);
        assertNoRegression(trace);
        expect(last(trace.states)).toEqual(canonicalFinal);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("harsh: stale snapshots in any order and multiplicity never regress", () => {
    const indexed = truth.map((f, i) => ({ f, i }));
    const sequence = fc
      .array(fc.constantFrom(...indexed), { minLength: 1, maxLength: truth.length * 4 })
      // Every event is delivered at least once.
      .chain((extra) => fc.shuffledSubarray([...indexed, ...extra], { minLength: indexed.length + extra.length }));
    fc.assert(
      fc.property(sequence, (steps) => {
        const trace = run(steps.map((s) => s.f));
        assertNoRegression(trace);
        // Status, stock and the refunded amount are as canonical whatever the order.
        expect(essentials(last(trace.states))).toEqual(essentials(canonicalFinal));
        // Once the latest truth is applied (Stripe retries; the reconciler re-reads), the
        // whole state, the dispute flag included, is canonical.
        const settled = decide(last(trace.states), last(truth)).next;
        expect(settled).toEqual(canonicalFinal);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("applying the final truth to the canonical final state changes nothing", () => {
    const d = decide(canonicalFinal, last(truth));
    expect(d).toMatchObject({ changed: false, stock: null, emails: [] });
  });
});

describe("every lifecycle produces its side effects exactly once", () => {
  test.each([
    ["card success", ["ORDER_CONFIRMATION"], ["commit"]],
    ["async success", ["AWAITING_PAYMENT", "ORDER_CONFIRMATION"], ["commit"]],
    ["async failure", ["AWAITING_PAYMENT", "PAYMENT_FAILED"], ["release"]],
    ["expiry", [], ["release"]],
    ["success, partial refunds, full refund", ["ORDER_CONFIRMATION", "REFUND_NOTICE"], ["commit"]],
  ] as const)("%s", (name, emails, stock) => {
    const truth = LIFECYCLES[name] as PaymentFacts[];
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: truth.length - 1 }), { minLength: 0, maxLength: 12 }),
        fc.nat({ max: 1000 }),
        (extraLater, seed) => {
          // Realistic model: the first delivery of each event sees at least its own truth; any
          // later duplicate sees the latest truth at its time (modelled as a later index).
          const times = [...truth.keys(), ...extraLater.map((i) => Math.min(truth.length - 1, i + (seed % 2)))].sort(
            (a, b) => a - b,
          );
          const trace = run(times.map((i) => truth[i] as PaymentFacts));
          const distinct = [...new Set(trace.emails)];
          expect(distinct.sort()).toEqual([...emails].sort());
          for (const kind of ["ORDER_CONFIRMATION", "PAYMENT_FAILED", "AWAITING_PAYMENT"] as const)
            expect(trace.emails.filter((e) => e === kind).length).toBeLessThanOrEqual(1);
          expect(trace.stock).toEqual(stock);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("arbitrary facts", () => {
  const factsArb: fc.Arbitrary<PaymentFacts> = fc.record({
    currentSession: fc.boolean(),
    sessionStatus: fc.constantFrom("open", "complete", "expired"),
    paymentStatus: fc.constantFrom("paid", "unpaid", "no_payment_required"),
    amountTotal: fc.oneof(fc.constant(TOTAL), fc.constant(TOTAL), fc.constant(null), fc.nat({ max: 10_000 })),
    currency: fc.oneof(fc.constant("eur"), fc.constant("EUR"), fc.constant("usd"), fc.constant(null)),
    paymentIntentStatus: fc.constantFrom(
      null,
      "processing",
      "succeeded",
      "requires_payment_method",
      "canceled",
      "requires_action",
    ),
    amountRefunded: fc.oneof(fc.constant(0), fc.nat({ max: TOTAL * 2 })),
    disputed: fc.boolean(),
  });

  test("any sequence of any facts never moves the status or the refunded amount backwards", () => {
    fc.assert(
      fc.property(fc.array(factsArb, { minLength: 1, maxLength: 20 }), (sequence) => {
        const trace = run(sequence);
        for (let i = 1; i < trace.states.length; i += 1) {
          const before = trace.states[i - 1] as OrderState;
          const after = trace.states[i] as OrderState;
          expect(RANK[after.status]).toBeGreaterThanOrEqual(RANK[before.status]);
          expect(after.amountRefunded).toBeGreaterThanOrEqual(before.amountRefunded);
          if (RANK[before.status] >= RANK.PAID) expect(after.status).not.toBe("PENDING");
          if (before.needsReview) expect(after.needsReview).toBe(true);
        }
        expect(trace.emails.filter((e) => e === "ORDER_CONFIRMATION").length).toBeLessThanOrEqual(1);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("applying the same facts twice changes nothing the second time (idempotence)", () => {
    fc.assert(
      fc.property(fc.array(factsArb, { maxLength: 10 }), factsArb, (history, f) => {
        const before = last(run(history).states);
        const once = decide(before, f);
        const twice = decide(once.next, f);
        expect(twice.changed).toBe(false);
        expect(twice.next).toEqual(once.next);
        expect(twice.stock).toBeNull();
        expect(twice.emails).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("orders held for review", () => {
  test("an order held for review after its money arrived is not told 'awaiting payment' by a stale 'processing' delivery", () => {
    // Stripe reports the current session paid, but for a different amount: held for review.
    const held = decide(initialOrder(), { ...PAID, amountTotal: TOTAL - 1 }).next;
    expect(held).toMatchObject({ status: "PENDING", paymentStatus: "PAID", needsReview: true });
    // A late (stale) snapshot from before the payment: the bank debit was still processing.
    const first = decide(held, AWAITING);
    const second = decide(first.next, AWAITING);
    // Money has been received, so "awaiting payment" must not be announced, and a repeat of
    // the same facts must produce nothing (the outbox's dedupe key only hides the repeat).
    expect(first.emails).toEqual([]);
    expect(second.emails).toEqual([]);
  });
});
