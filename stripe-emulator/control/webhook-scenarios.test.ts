import type Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { control, sessionParams, startHarness, typesFor, type Harness } from "../test-support/harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ asyncDelaySeconds: 10 });
});

afterAll(async () => {
  await h.close();
});

beforeEach(async () => {
  await h.emulator.flushDeliveries();
  h.emulator.reset();
  h.receiver.clear();
});

async function settle(): Promise<Stripe.Event[]> {
  const flushed = await h.emulator.flushDeliveries();
  expect(flushed.idle).toBe(true);
  expect(h.receiver.rejected).toEqual([]);
  return h.receiver.deliveries.map((d) => d.event);
}

function objectOf(event: Stripe.Event | undefined): Record<string, unknown> {
  return (event?.data.object ?? {}) as unknown as Record<string, unknown>;
}

describe("scenario event sequences, verified with constructEvent", () => {
  it("card success", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const paid = h.emulator.pay(session.id, "card_success", "card@example.com");
    const events = await settle();
    expect(typesFor(h.receiver, [session.id, paid.payment_intent])).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
    ]);
    // Each event carries the object as it was when the event happened.
    expect(objectOf(events[0])).toMatchObject({ status: "requires_payment_method", amount_received: 0 });
    expect(objectOf(events[1])).toMatchObject({ status: "succeeded", amount_received: 3000 });
    expect(objectOf(events[2])).toMatchObject({
      object: "charge",
      paid: true,
      status: "succeeded",
      amount: 3000,
      outcome: { type: "authorized", network_status: "approved_by_network", seller_message: "Payment complete." },
      payment_method_details: { card: { amount_authorized: 3000, network: "visa", checks: { cvc_check: "pass" } } },
    });
    expect(objectOf(events[3])).toMatchObject({
      id: session.id,
      status: "complete",
      payment_status: "paid",
      payment_intent: paid.payment_intent,
      url: null,
      customer_details: { email: "card@example.com" },
    });
    expect(events[3]).toMatchObject({ object: "event", livemode: false, request: { id: null, idempotency_key: null } });
  });

  it("card decline, then a successful retry on the same PaymentIntent", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    h.emulator.pay(session.id, "card_decline");
    const declined = h.emulator.pay(session.id, "card_insufficient_funds");
    await settle();
    expect(typesFor(h.receiver, [session.id, declined.payment_intent])).toEqual([
      "payment_intent.created",
      "charge.failed",
      "payment_intent.payment_failed",
      "charge.failed",
      "payment_intent.payment_failed",
    ]);
    expect(declined.status).toBe("open");
    expect(objectOf(h.receiver.deliveries[1]?.event)).toMatchObject({ object: "charge", status: "failed" });
    expect(objectOf(h.receiver.deliveries[2]?.event)).toMatchObject({
      last_payment_error: { decline_code: "generic_decline" },
    });
    h.receiver.clear();
    h.emulator.pay(session.id, "card_success");
    await settle();
    expect(typesFor(h.receiver, [session.id, declined.payment_intent])).toEqual([
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
    ]);
  });

  it("delayed debit that succeeds after the clock advances", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const submitted = h.emulator.pay(session.id, "async_success");
    const first = await settle();
    expect(first.map((e) => e.type)).toEqual([
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "checkout.session.completed",
    ]);
    expect(objectOf(first[2])).toMatchObject({ object: "charge", status: "pending", paid: false });
    expect(objectOf(first[3])).toMatchObject({ status: "complete", payment_status: "unpaid" });
    h.emulator.advanceClock(9);
    await settle();
    expect(h.receiver.deliveries).toHaveLength(4);
    h.emulator.advanceClock(1);
    const all = await settle();
    expect(all.slice(4).map((e) => e.type)).toEqual([
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.async_payment_succeeded",
    ]);
    expect(objectOf(all[6])).toMatchObject({ id: session.id, payment_status: "paid", status: "complete" });
    const intent = await h.stripe.paymentIntents.retrieve(submitted.payment_intent as string);
    expect(intent).toMatchObject({ status: "succeeded", amount_received: 3000 });
  });

  it("delayed debit that fails after the clock advances", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const submitted = h.emulator.pay(session.id, "async_failure");
    await control(h.emulator, "POST", "/_emulator/clock/advance", { seconds: 10 });
    const events = await settle();
    expect(events.map((e) => e.type)).toEqual([
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "checkout.session.completed",
      "charge.failed",
      "payment_intent.payment_failed",
      "checkout.session.async_payment_failed",
    ]);
    expect(objectOf(events[4])).toMatchObject({
      object: "charge",
      status: "failed",
      failure_code: "insufficient_funds",
    });
    expect(objectOf(events[6])).toMatchObject({ payment_status: "unpaid", status: "complete" });
    const intent = await h.stripe.paymentIntents.retrieve(submitted.payment_intent as string);
    expect(intent.status).toBe("requires_payment_method");
    expect(intent.last_payment_error?.message).toMatch(/could not be debited/);
  });

  it("expiry at expires_at on the clock and via /expire", async () => {
    const now = Math.floor(Date.now() / 1000);
    const timed = await h.stripe.checkout.sessions.create(sessionParams({ expires_at: now + 3600 }));
    const manual = await h.stripe.checkout.sessions.create(sessionParams());
    await h.stripe.checkout.sessions.expire(manual.id, {}, { idempotencyKey: "expire-1" });
    h.emulator.advanceClock(3601);
    const events = await settle();
    expect(events.map((e) => [e.type, objectOf(e).id])).toEqual([
      ["checkout.session.expired", manual.id],
      ["checkout.session.expired", timed.id],
    ]);
    expect(objectOf(events[1])).toMatchObject({ status: "expired", url: null });
    expect(events[0]?.request).toMatchObject({ idempotency_key: "expire-1" });
    expect((await h.stripe.checkout.sessions.retrieve(timed.id)).status).toBe("expired");
  });

  it("refund", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const paid = h.emulator.pay(session.id, "card_success");
    await settle();
    h.receiver.clear();
    await h.stripe.refunds.create({ payment_intent: paid.payment_intent as string, amount: 500 });
    const events = await settle();
    expect(events.map((e) => e.type)).toEqual(["charge.refunded", "refund.created"]);
    expect(objectOf(events[0])).toMatchObject({ amount_refunded: 500, refunded: false });
  });

  it("disputes opened and closed through the control API", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const paid = h.emulator.pay(session.id, "card_success");
    const intent = await h.stripe.paymentIntents.retrieve(paid.payment_intent as string);
    await settle();
    h.receiver.clear();
    const opened = await control(
      h.emulator,
      "POST",
      `/_emulator/charges/${intent.latest_charge as string}/dispute`,
      {},
    );
    expect(opened.body).toMatchObject({
      object: "dispute",
      amount: 3000,
      currency: "eur",
      charge: intent.latest_charge,
      payment_intent: intent.id,
      status: "needs_response",
    });
    const disputeId = (opened.body as { id: string }).id;
    expect(disputeId).toMatch(/^dp_/);
    const closed = await control(h.emulator, "POST", `/_emulator/disputes/${disputeId}/close`, { status: "lost" });
    expect(closed.body).toMatchObject({ status: "lost" });
    const again = await control(h.emulator, "POST", `/_emulator/disputes/${disputeId}/close`, { status: "won" });
    expect(again.status).toBe(400);
    const events = await settle();
    expect(events.map((e) => [e.type, objectOf(e).status])).toEqual([
      ["charge.dispute.created", "needs_response"],
      ["charge.dispute.funds_withdrawn", "needs_response"],
      ["charge.dispute.closed", "lost"],
    ]);
    const listed = await h.stripe.disputes.list({ payment_intent: intent.id });
    expect(listed.data.map((d) => d.id)).toEqual([disputeId]);
  });

  it("a won dispute gives the funds back before it closes", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const paid = h.emulator.pay(session.id, "card_success");
    const intent = await h.stripe.paymentIntents.retrieve(paid.payment_intent as string);
    await settle();
    h.receiver.clear();
    const opened = await control(
      h.emulator,
      "POST",
      `/_emulator/charges/${intent.latest_charge as string}/dispute`,
      {},
    );
    const disputeId = (opened.body as { id: string }).id;
    await control(h.emulator, "POST", `/_emulator/disputes/${disputeId}/close`, { status: "won" });
    const events = await settle();
    expect(events.map((e) => [e.type, objectOf(e).status])).toEqual([
      ["charge.dispute.created", "needs_response"],
      ["charge.dispute.funds_withdrawn", "needs_response"],
      ["charge.dispute.funds_reinstated", "won"],
      ["charge.dispute.closed", "won"],
    ]);
  });
});

describe("delivery format", () => {
  it("signs, labels and pretty-prints each delivery like Stripe", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    h.emulator.pay(session.id, "card_success");
    await settle();
    const delivery = h.receiver.deliveries[0];
    expect(delivery?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(delivery?.headers["user-agent"]).toBe("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
    expect(delivery?.headers["stripe-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery?.body).toBe(JSON.stringify(JSON.parse(delivery?.body ?? "null"), null, 2));
    expect(delivery?.event.pending_webhooks).toBe(1);
    const stored = await h.stripe.events.retrieve(delivery?.event.id ?? "");
    expect(stored.pending_webhooks).toBe(0);
  });
});
