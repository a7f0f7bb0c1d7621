import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHarness, typesFor, type Harness } from "../../test-support/harness";

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

async function events(intentId: string): Promise<string[]> {
  await h.emulator.flushDeliveries();
  return typesFor(h.receiver, [intentId]);
}

describe("payment intents", () => {
  it("creates an intent, then confirms it with a test card", async () => {
    const created = await h.stripe.paymentIntents.create({
      amount: 4200,
      currency: "usd",
      allowed_payment_method_types: ["card"],
      description: "Order 1042",
      metadata: { order: "1042" },
    });
    expect(created).toMatchObject({
      object: "payment_intent",
      status: "requires_payment_method",
      amount: 4200,
      currency: "usd",
      capture_method: "automatic_async",
      allowed_payment_method_types: ["card"],
      payment_method_types: ["card"],
      payment_method: null,
      latest_charge: null,
      metadata: { order: "1042" },
    });
    const confirmed = await h.stripe.paymentIntents.confirm(created.id, { payment_method: "pm_card_visa" });
    expect(confirmed).toMatchObject({ status: "succeeded", amount_received: 4200, last_payment_error: null });
    expect(confirmed.payment_method).toMatch(/^pm_/);
    expect(confirmed.payment_method).not.toBe("pm_card_visa");
    const charge = await h.stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(charge).toMatchObject({
      status: "succeeded",
      paid: true,
      amount: 4200,
      payment_intent: created.id,
      description: "Order 1042",
      payment_method_details: { type: "card", card: { brand: "visa", last4: "4242" } },
    });
    expect(await events(created.id)).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
    ]);
  });

  it("turns automatic payment methods on when no types are listed", async () => {
    const intent = await h.stripe.paymentIntents.create({ amount: 1500, currency: "eur" });
    expect(intent.automatic_payment_methods).toEqual({ allow_redirects: "always", enabled: true });
    expect(intent.payment_method_types).toEqual(["card", "sepa_debit"]);
    const sepa = await h.stripe.paymentMethods.create({
      type: "sepa_debit",
      sepa_debit: { iban: "DE89370400440532013000" },
    });
    const refused = await h.stripe.paymentIntents
      .create({ amount: 1500, currency: "usd", payment_method: sepa.id, confirm: true })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, code: "payment_intent_incompatible_payment_method" });
  });

  it("answers a declined card with a 402 that carries the intent, and leaves it awaiting a new method", async () => {
    const error = await h.stripe.paymentIntents
      .create({
        amount: 2000,
        currency: "usd",
        payment_method: "pm_card_chargeDeclinedInsufficientFunds",
        confirm: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardError = error as Stripe.errors.StripeCardError;
    expect(cardError).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "insufficient_funds" });
    const intent = cardError.payment_intent;
    expect(intent).toMatchObject({
      status: "requires_payment_method",
      last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" },
    });
    const id = intent?.id ?? "";
    expect((await h.stripe.paymentIntents.retrieve(id)).status).toBe("requires_payment_method");
    const charge = await h.stripe.charges.retrieve(cardError.charge ?? "");
    expect(charge).toMatchObject({ status: "failed", failure_code: "card_declined", payment_intent: id });
    expect(await events(id)).toEqual(["payment_intent.created", "charge.failed", "payment_intent.payment_failed"]);

    const retried = await h.stripe.paymentIntents.confirm(id, { payment_method: "pm_card_visa" });
    expect(retried.status).toBe("succeeded");
  });

  it("debits a SEPA account: processing, then settled when the clock passes the delay", async () => {
    const pm = await h.stripe.paymentMethods.create({
      type: "sepa_debit",
      sepa_debit: { iban: "DE89370400440532013000" },
      billing_details: { name: "Jenny Rosen", email: "jenny@example.com" },
    });
    const intent = await h.stripe.paymentIntents.create({
      amount: 3000,
      currency: "eur",
      excluded_payment_method_types: ["card"],
      payment_method: pm.id,
      confirm: true,
    });
    expect(intent.status).toBe("processing");
    expect((await h.stripe.charges.retrieve(intent.latest_charge as string)).status).toBe("pending");
    h.emulator.advanceClock(9);
    expect((await h.stripe.paymentIntents.retrieve(intent.id)).status).toBe("processing");
    h.emulator.advanceClock(1);
    const settled = await h.stripe.paymentIntents.retrieve(intent.id);
    expect(settled).toMatchObject({ status: "succeeded", amount_received: 3000 });
    expect((await h.stripe.charges.retrieve(intent.latest_charge as string)).status).toBe("succeeded");
    expect(await events(intent.id)).toEqual([
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "payment_intent.succeeded",
      "charge.succeeded",
    ]);
    const refund = await h.stripe.refunds.create({ payment_intent: intent.id, amount: 500 });
    expect(refund).toMatchObject({ amount: 500, charge: intent.latest_charge, payment_method: pm.id });
  });

  it("cancels an unpaid intent and refuses to cancel a succeeded one", async () => {
    const open = await h.stripe.paymentIntents.create({ amount: 900, currency: "usd", payment_method: "pm_card_visa" });
    expect(open.status).toBe("requires_confirmation");
    const canceled = await h.stripe.paymentIntents.cancel(open.id, { cancellation_reason: "requested_by_customer" });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_reason: "requested_by_customer" });
    expect(canceled.canceled_at).toBeGreaterThan(0);
    expect(await events(open.id)).toEqual(["payment_intent.created", "payment_intent.canceled"]);

    const paid = await h.stripe.paymentIntents.create({
      amount: 900,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    const refused = await h.stripe.paymentIntents.cancel(paid.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(refused).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
    expect((refused as Error).message).toContain("status of succeeded");
    const again = await h.stripe.paymentIntents.confirm(paid.id).catch((e: unknown) => e);
    expect(again).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
  });

  it("opens a chargeback after a payment with pm_card_createDispute", async () => {
    const intent = await h.stripe.paymentIntents.create({
      amount: 5000,
      currency: "usd",
      payment_method: "pm_card_createDispute",
      confirm: true,
    });
    const disputes = await h.stripe.disputes.list({ payment_intent: intent.id });
    expect(disputes.data).toHaveLength(1);
    expect(disputes.data[0]).toMatchObject({ status: "needs_response", reason: "fraudulent", amount: 5000 });
    expect(await events(intent.id)).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "charge.dispute.created",
      "charge.dispute.funds_withdrawn",
    ]);
  });

  it("lists intents newest first, a page at a time", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await h.stripe.paymentIntents.create({ amount: 100 + i, currency: "usd" })).id);
    }
    const first = await h.stripe.paymentIntents.list({ limit: 2 });
    expect(first).toMatchObject({ object: "list", url: "/v1/payment_intents", has_more: true });
    expect(first.data.map((pi) => pi.id)).toEqual([ids[2], ids[1]]);
    const second = await h.stripe.paymentIntents.list({ limit: 2, starting_after: ids[1] });
    expect(second.has_more).toBe(false);
    expect(second.data.map((pi) => pi.id)).toEqual([ids[0]]);
    const unknownFilter = await h.stripe.paymentIntents.list({ customer: "cus_123" }).catch((e: unknown) => e);
    expect(unknownFilter).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "customer" });
  });

  it("lists the charges of one intent", async () => {
    const declined = await h.stripe.paymentIntents
      .create({ amount: 700, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true })
      .catch((e: unknown) => (e as Stripe.errors.StripeCardError).payment_intent);
    const id = declined?.id ?? "";
    await h.stripe.paymentIntents.confirm(id, { payment_method: "pm_card_visa" });
    await h.stripe.paymentIntents.create({
      amount: 800,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    const charges = await h.stripe.charges.list({ payment_intent: id });
    expect(charges).toMatchObject({ object: "list", url: "/v1/charges", has_more: false });
    expect(charges.data.map((c) => c.status)).toEqual(["succeeded", "failed"]);
    expect(charges.data.every((c) => c.payment_intent === id)).toBe(true);
    expect((await h.stripe.charges.list({ limit: 1 })).has_more).toBe(true);
  });

  it("refuses unknown and missing parameters and manual capture as Stripe does", async () => {
    const unknown = await h.stripe.paymentIntents
      .create({ amount: 100, currency: "usd", customer: "cus_123" })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "customer" });
    const missing = await h.stripe.paymentIntents
      .create({ currency: "usd" } as Stripe.PaymentIntentCreateParams)
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 400, code: "parameter_missing", param: "amount" });
    const manual = await h.stripe.paymentIntents
      .create({ amount: 100, currency: "usd", capture_method: "manual" })
      .catch((e: unknown) => e);
    expect(manual).toMatchObject({ statusCode: 400, param: "capture_method" });
    expect((manual as Error).message).toContain("does not support capture_method=manual");
    const noSuchMethod = await h.stripe.paymentIntents
      .create({ amount: 100, currency: "usd", payment_method: "pm_nope", confirm: true })
      .catch((e: unknown) => e);
    expect(noSuchMethod).toMatchObject({ statusCode: 404, code: "resource_missing", param: "payment_method" });
    expect((await h.stripe.paymentIntents.list()).data).toEqual([]);
  });

  it("replays an idempotent create instead of creating a second intent", async () => {
    const params = { amount: 1234, currency: "usd", payment_method: "pm_card_visa", confirm: true };
    const first = await h.stripe.paymentIntents.create(params, { idempotencyKey: "order-77" });
    const second = await h.stripe.paymentIntents.create(params, { idempotencyKey: "order-77" });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await h.stripe.paymentIntents.list()).data.map((pi) => pi.id)).toEqual([first.id]);
    expect(await events(first.id)).toEqual(["payment_intent.created", "payment_intent.succeeded", "charge.succeeded"]);
  });
});
