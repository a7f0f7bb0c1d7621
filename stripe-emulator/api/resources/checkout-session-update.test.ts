import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { sessionParams, setUpHarness } from "../../test-support/harness";

const h = setUpHarness();

describe("checkout session update", () => {
  it("merges metadata into an open session, unsets keys with an empty value and clears it all with ''", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams({ metadata: { order: "o_1", cart: "c_1" } }));
    const updated = await h.stripe.checkout.sessions.update(session.id, {
      metadata: { cart: "", coupon: "WINTER" },
    });
    expect(updated).toMatchObject({
      id: session.id,
      status: "open",
      metadata: { order: "o_1", coupon: "WINTER" },
      url: session.url,
    });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).metadata).toEqual({
      order: "o_1",
      coupon: "WINTER",
    });
    const expanded = await h.stripe.checkout.sessions.update(session.id, { metadata: "", expand: ["line_items"] });
    expect(expanded.metadata).toEqual({});
    expect(expanded.line_items?.data).toHaveLength(2);
    expect(h.emulator.pay(session.id, "card_success").metadata).toEqual({});
  });

  it("refuses sessions that are no longer open and parameters the emulator cannot honour", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    h.emulator.pay(session.id, "card_success");
    const complete = await h.stripe.checkout.sessions
      .update(session.id, { metadata: { late: "yes" } })
      .catch((e: unknown) => e);
    expect(complete).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(complete).toMatchObject({
      statusCode: 400,
      message:
        'Only Checkout Sessions with a status in ["open"] can be updated. This Checkout Session has a status of "complete".',
    });
    const expiring = await h.stripe.checkout.sessions.create(sessionParams());
    await h.stripe.checkout.sessions.expire(expiring.id);
    await expect(h.stripe.checkout.sessions.update(expiring.id, { metadata: { a: "b" } })).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('has a status of "expired"') as string,
    });
    const open = await h.stripe.checkout.sessions.create(sessionParams());
    await expect(
      h.stripe.checkout.sessions.update(open.id, { shipping_options: [{ shipping_rate: "shr_1" }] }),
    ).rejects.toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "shipping_options" });
    await expect(h.stripe.checkout.sessions.update("cs_test_missing", { metadata: {} })).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
    expect((await h.stripe.checkout.sessions.retrieve(open.id)).metadata).toEqual({});
  });
});
