import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionParams, startHarness, type Harness } from "../../test-support/harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe("recurring prices", () => {
  it("creates a recurring price with Stripe's recurring object", async () => {
    const product = await h.stripe.products.create({ name: "Coffee subscription" });
    const monthly = await h.stripe.prices.create({
      product: product.id,
      currency: "eur",
      unit_amount: 1500,
      recurring: { interval: "month" },
    });
    expect(monthly).toMatchObject({
      type: "recurring",
      recurring: { interval: "month", interval_count: 1, meter: null, trial_period_days: null, usage_type: "licensed" },
    });
    const quarterly = await h.stripe.prices.create({
      product: product.id,
      currency: "eur",
      unit_amount: 4000,
      recurring: { interval: "month", interval_count: 3, usage_type: "licensed" },
    });
    expect((await h.stripe.prices.retrieve(quarterly.id)).recurring).toMatchObject({ interval_count: 3 });
    const oneTime = await h.stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 900 });
    expect(oneTime).toMatchObject({ type: "one_time", recurring: null });
  });

  it("refuses what Stripe refuses, with the parameter named", async () => {
    const product = await h.stripe.products.create({ name: "Tea" });
    const base = { product: product.id, currency: "eur", unit_amount: 100 };
    const tooLong = await h.stripe.prices
      .create({ ...base, recurring: { interval: "year", interval_count: 4 } })
      .catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooLong).toMatchObject({ statusCode: 400, param: "recurring[interval_count]" });
    await expect(
      h.stripe.rawRequest("POST", "/v1/prices", { ...base, recurring: { interval_count: 2 } }),
    ).rejects.toMatchObject({ statusCode: 400, code: "parameter_missing", param: "recurring[interval]" });
    await expect(
      h.stripe.prices.create({ ...base, recurring: { interval: "month", usage_type: "metered" } }),
    ).rejects.toMatchObject({ statusCode: 400, param: "recurring[usage_type]" });
    await expect(
      h.stripe.rawRequest("POST", "/v1/prices", { ...base, recurring: { interval: "month", aggregate_usage: "sum" } }),
    ).rejects.toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "recurring[aggregate_usage]" });
  });

  it("is refused by a Checkout Session in payment mode, as Stripe refuses it", async () => {
    const product = await h.stripe.products.create({ name: "Magazine" });
    const oneTime = await h.stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 500 });
    const monthly = await h.stripe.prices.create({
      product: product.id,
      currency: "eur",
      unit_amount: 500,
      recurring: { interval: "month" },
    });
    const error = await h.stripe.checkout.sessions
      .create(
        sessionParams({
          line_items: [
            { price: oneTime.id, quantity: 1 },
            { price: monthly.id, quantity: 1 },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      statusCode: 400,
      param: "line_items[1][price]",
      message:
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
    });
    const fine = await h.stripe.checkout.sessions.create(
      sessionParams({ line_items: [{ price: oneTime.id, quantity: 2 }] }),
    );
    expect(fine.amount_total).toBe(1000);
  });
});
