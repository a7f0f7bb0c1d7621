import { describe, expect, test } from "vitest";
import { chargeFromEvent, orderIdFromPaymentIntent, snapshotFromSessionEvent } from "./evidence";

const session = (over: Record<string, unknown>) => ({
  id: "cs_test_1",
  object: "checkout.session",
  status: "complete",
  payment_status: "paid",
  amount_total: 2500,
  currency: "eur",
  client_reference_id: "ref-order",
  metadata: { orderId: "9b2f6a52-5d7c-4a43-9d55-5d1b3cf2a001" },
  customer_details: { email: "Shopper@Example.com" },
  payment_intent: "pi_1",
  ...over,
});

describe("what a Checkout session event proves", () => {
  test.each([
    ["checkout.session.completed", {}, "paid", "succeeded", 2500],
    ["checkout.session.completed", { payment_status: "unpaid" }, "unpaid", "processing", 0],
    ["checkout.session.async_payment_succeeded", {}, "paid", "succeeded", 2500],
    ["checkout.session.async_payment_failed", { payment_status: "unpaid" }, "unpaid", "requires_payment_method", 0],
  ])("%s %j → payment %s, intent %s, %i received", (type, over, paymentStatus, intentStatus, received) => {
    const snapshot = snapshotFromSessionEvent(type, session(over));
    expect(snapshot).toMatchObject({
      sessionId: "cs_test_1",
      orderId: "9b2f6a52-5d7c-4a43-9d55-5d1b3cf2a001",
      status: "complete",
      paymentStatus,
      amountTotal: 2500,
      email: "Shopper@Example.com",
      paymentIntent: { id: "pi_1", status: intentStatus, amountReceived: received, chargeId: null },
      // A session event says nothing about refunds or disputes: the order keeps what it has.
      refunds: null,
      disputes: null,
    });
  });

  test("an expired session has no payment", () => {
    const snapshot = snapshotFromSessionEvent(
      "checkout.session.expired",
      session({ status: "expired", payment_status: "unpaid", payment_intent: null }),
    );
    expect(snapshot).toMatchObject({ status: "expired", paymentStatus: "unpaid", paymentIntent: null });
  });

  test("the order id falls back to client_reference_id; other event types and shapes prove nothing", () => {
    expect(snapshotFromSessionEvent("checkout.session.completed", session({ metadata: null }))?.orderId).toBe(
      "ref-order",
    );
    expect(snapshotFromSessionEvent("charge.refunded", session({}))).toBeNull();
    expect(snapshotFromSessionEvent("checkout.session.completed", { id: "ch_1" })).toBeNull();
    expect(snapshotFromSessionEvent("checkout.session.completed", session({ payment_status: "maybe" }))).toBeNull();
  });
});

describe("charges and payment intents from event payloads", () => {
  test("a refunded charge proves a payment of its amount", () => {
    expect(
      chargeFromEvent({
        id: "ch_1",
        amount: 2500,
        amount_captured: 2500,
        currency: "eur",
        paid: true,
        status: "succeeded",
        payment_intent: { id: "pi_1" },
      }),
    ).toEqual({
      chargeId: "ch_1",
      paymentIntentId: "pi_1",
      amount: 2500,
      amountReceived: 2500,
      currency: "eur",
      paid: true,
      email: null,
    });
    expect(chargeFromEvent({ id: "ch_2", amount: 1, currency: "eur", payment_intent: null })).toBeNull();
  });

  test("a payment intent names its order in metadata", () => {
    expect(orderIdFromPaymentIntent({ id: "pi_1", metadata: { orderId: "o-1" } })).toBe("o-1");
    expect(orderIdFromPaymentIntent({ id: "pi_1" })).toBeNull();
    expect(orderIdFromPaymentIntent({ id: "cs_1", metadata: { orderId: "o-1" } })).toBeNull();
  });
});
