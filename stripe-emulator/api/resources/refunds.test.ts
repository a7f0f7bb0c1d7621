import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionParams, startHarness, typesFor, type Harness } from "../../test-support/harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

beforeEach(async () => {
  await h.emulator.flushDeliveries();
  h.emulator.reset();
  h.receiver.clear();
});

async function paidIntent(): Promise<Stripe.PaymentIntent> {
  const session = await h.stripe.checkout.sessions.create(sessionParams());
  const paid = h.emulator.pay(session.id, "card_success");
  return h.stripe.paymentIntents.retrieve(paid.payment_intent as string);
}

describe("refunds", () => {
  it("refunds in parts, updates the charge and never refunds more than remains", async () => {
    const intent = await paidIntent();
    const chargeId = intent.latest_charge as string;
    const partial = await h.stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    expect(partial).toMatchObject({
      object: "refund",
      amount: 1000,
      status: "succeeded",
      charge: chargeId,
      currency: "eur",
    });
    expect(partial.id).toMatch(/^re_/);
    expect(await h.stripe.charges.retrieve(chargeId)).toMatchObject({
      amount: 3000,
      amount_captured: 3000,
      amount_refunded: 1000,
      refunded: false,
      paid: true,
      status: "succeeded",
      payment_intent: intent.id,
    });

    const tooMuch = await h.stripe.refunds.create({ charge: chargeId, amount: 2001 }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ statusCode: 400, code: "amount_too_large", param: "amount" });

    const rest = await h.stripe.refunds.create({ payment_intent: intent.id });
    expect(rest.amount).toBe(2000);
    const charge = await h.stripe.charges.retrieve(chargeId);
    expect(charge).toMatchObject({ amount_refunded: 3000, refunded: true });

    const again = await h.stripe.refunds.create({ payment_intent: intent.id, amount: 1 }).catch((e: unknown) => e);
    expect(again).toMatchObject({ statusCode: 400, code: "charge_already_refunded" });

    expect(await h.stripe.refunds.retrieve(partial.id)).toMatchObject({ id: partial.id, amount: 1000 });
    const listed = await h.stripe.refunds.list({ payment_intent: intent.id });
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
  });

  it("emits charge.refunded then refund.created with the updated charge", async () => {
    const intent = await paidIntent();
    await h.emulator.flushDeliveries();
    h.receiver.clear();
    const refund = await h.stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: "refund-key-1" });
    await h.emulator.flushDeliveries();
    expect(typesFor(h.receiver, [intent.id])).toEqual(["charge.refunded", "refund.created"]);
    const [chargeEvent, refundEvent] = h.receiver.deliveries.map((d) => d.event);
    expect(chargeEvent?.data.object).toMatchObject({ object: "charge", amount_refunded: 3000, refunded: true });
    expect(refundEvent?.data.object).toMatchObject({ id: refund.id, object: "refund", amount: 3000 });
    expect(refundEvent?.request).toEqual({ id: refund.lastResponse.requestId, idempotency_key: "refund-key-1" });
    expect(h.receiver.rejected).toEqual([]);
  });

  it("refuses refunds without a successful charge", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const processing = h.emulator.pay(session.id, "async_success");
    const error = await h.stripe.refunds
      .create({ payment_intent: processing.payment_intent as string })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, param: "payment_intent" });
    const neither = await h.stripe.refunds.create({}).catch((e: unknown) => e);
    expect(neither).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const missing = await h.stripe.refunds.create({ charge: "ch_missing" }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});
