import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../index";
import { payOnHostedPage, stripeFor, setUpHarness } from "../../test-support/harness";

const h = setUpHarness();

async function price(stripe: Stripe, unitAmount: number, recurring?: Stripe.PriceCreateParams.Recurring) {
  const product = await stripe.products.create({ name: "Print" });
  return stripe.prices.create({ product: product.id, currency: "eur", unit_amount: unitAmount, recurring });
}

function open(url: string): Promise<Response> {
  return fetch(url, { redirect: "manual" });
}

describe("payment links", () => {
  it("creates a complete payment link with a url on the emulator and sends payment_link.created", async () => {
    const print = await price(h.stripe, 1200);
    const link = await h.stripe.paymentLinks.create({
      line_items: [{ price: print.id, quantity: 2 }],
      metadata: { campaign: "winter" },
      after_completion: { type: "redirect", redirect: { url: "http://127.0.0.1:3000/thanks" } },
    });
    expect(link.id).toMatch(/^plink_/);
    expect(link).toMatchObject({
      object: "payment_link",
      active: true,
      after_completion: { type: "redirect", redirect: { url: "http://127.0.0.1:3000/thanks" } },
      allow_promotion_codes: false,
      automatic_tax: { enabled: false, liability: null },
      billing_address_collection: "auto",
      currency: "eur",
      custom_fields: [],
      customer_creation: "if_required",
      invoice_creation: { enabled: false },
      livemode: false,
      metadata: { campaign: "winter" },
      payment_method_collection: "always",
      payment_method_types: null,
      shipping_options: [],
      submit_type: "auto",
      subscription_data: null,
      tax_id_collection: { enabled: false, required: "never" },
      url: `${h.emulator.url}/b/${link.id}`,
    });
    expect(link).not.toHaveProperty("line_items");
    const expanded = await h.stripe.paymentLinks.retrieve(link.id, { expand: ["line_items"] });
    expect(expanded.line_items?.data).toMatchObject([{ quantity: 2, amount_total: 2400, price: { id: print.id } }]);
    const items = await h.stripe.paymentLinks.listLineItems(link.id);
    expect(items.data.map((i) => i.price?.id)).toEqual([print.id]);
    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types()).toEqual(["product.created", "price.created", "payment_link.created"]);
    expect(h.receiver.deliveries[2]?.event.data.object).toMatchObject({ id: link.id, url: link.url });
  });

  it("accepts recurring prices, with Stripe's subscription settings", async () => {
    const monthly = await price(h.stripe, 900, { interval: "month" });
    const link = await h.stripe.paymentLinks.create({ line_items: [{ price: monthly.id, quantity: 1 }] });
    expect(link).toMatchObject({
      invoice_creation: null,
      subscription_data: { trial_period_days: null, invoice_settings: { issuer: { type: "self" } } },
    });
    const page = await open(link.url);
    expect(page.status).toBe(501);
    expect(await page.text()).toContain("one-time payments only");
  });

  it("updates active and metadata with previous_attributes, and lists with cursors and the active filter", async () => {
    const print = await price(h.stripe, 500);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await h.stripe.paymentLinks.create({ line_items: [{ price: print.id, quantity: 1 }] })).id);
    }
    const updated = await h.stripe.paymentLinks.update(ids[0] ?? "", {
      active: false,
      metadata: { note: "old" },
    });
    expect(updated).toMatchObject({ active: false, metadata: { note: "old" } });
    await h.emulator.flushDeliveries();
    const event = h.receiver.deliveries.at(-1)?.event;
    expect(event?.type).toBe("payment_link.updated");
    expect(event?.data.previous_attributes).toEqual({ active: true, metadata: { note: null } });
    const first = await h.stripe.paymentLinks.list({ limit: 2 });
    expect(first).toMatchObject({ url: "/v1/payment_links", has_more: true });
    expect(first.data.map((l) => l.id)).toEqual([ids[2], ids[1]]);
    const next = await h.stripe.paymentLinks.list({ limit: 2, starting_after: ids[1] });
    expect(next.data.map((l) => l.id)).toEqual([ids[0]]);
    expect((await h.stripe.paymentLinks.list({ active: true })).data.map((l) => l.id)).toEqual([ids[2], ids[1]]);
  });

  it("makes inline prices from price_data, so a link for made-up lines takes one request", async () => {
    const link = await h.stripe.paymentLinks.create({
      line_items: [
        { price_data: { currency: "eur", unit_amount: 1250, product_data: { name: "Linen notebook" } }, quantity: 2 },
        { price_data: { currency: "eur", unit_amount: 300, product_data: { name: "Pencil" } }, quantity: 1 },
      ],
      metadata: { orderId: "order-1" },
      payment_intent_data: { metadata: { orderId: "order-1" } },
      restrictions: { completed_sessions: { limit: 1 } },
    });
    expect(link).toMatchObject({
      currency: "eur",
      metadata: { orderId: "order-1" },
      restrictions: { completed_sessions: { count: 0, limit: 1 } },
    });
    const items = await h.stripe.paymentLinks.listLineItems(link.id);
    expect(items.data).toMatchObject([
      { description: "Linen notebook", quantity: 2, amount_total: 2500, price: { unit_amount: 1250, currency: "eur" } },
      { description: "Pencil", quantity: 1, amount_total: 300, price: { unit_amount: 300 } },
    ]);
    const location = (await open(link.url)).headers.get("location") ?? "";
    const session = await h.stripe.checkout.sessions.retrieve(location.split("/").at(-1) ?? "");
    expect(session).toMatchObject({ amount_total: 2800, currency: "eur", payment_link: link.id });

    const product = await h.stripe.products.create({ name: "Print" });
    const onProduct = await h.stripe.paymentLinks.create({
      line_items: [{ price_data: { currency: "eur", unit_amount: 900, product: product.id }, quantity: 1 }],
    });
    const [line] = (await h.stripe.paymentLinks.listLineItems(onProduct.id)).data;
    expect(line?.price?.product).toBe(product.id);

    const print = await price(h.stripe, 500);
    await expect(h.stripe.paymentLinks.create({ line_items: [{ quantity: 1 }] })).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_missing",
      param: "line_items[0][price]",
    });
    await expect(
      h.stripe.paymentLinks.create({
        line_items: [
          { price: print.id, price_data: { currency: "eur", unit_amount: 1, product: product.id }, quantity: 1 },
        ],
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: "parameters_exclusive", param: "line_items[0][price]" });
    await expect(
      h.stripe.paymentLinks.create({
        line_items: [{ price_data: { currency: "eur", unit_amount: 100 }, quantity: 1 }],
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_missing",
      param: "line_items[0][price_data][product_data]",
    });
  });

  it("answers mistakes with Stripe's errors and codes", async () => {
    const print = await price(h.stripe, 500);
    const unknown = await h.stripe.paymentLinks
      .create({ line_items: [{ price: print.id, quantity: 1 }], allow_promotion_codes: true })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "allow_promotion_codes" });
    await expect(h.stripe.rawRequest("POST", "/v1/payment_links", {})).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_missing",
      param: "line_items",
    });
    await expect(h.stripe.paymentLinks.create({ line_items: [{ price: "", quantity: 1 }] })).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_invalid_empty",
      param: "line_items[0][price]",
    });
    await expect(
      h.stripe.paymentLinks.create({ line_items: [{ price: "price_missing", quantity: 1 }] }),
    ).rejects.toMatchObject({ statusCode: 404, code: "resource_missing", param: "line_items[0][price]" });
    await expect(
      h.stripe.paymentLinks.create({
        line_items: [{ price: print.id, quantity: 1 }],
        after_completion: { type: "redirect" },
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: "parameter_missing", param: "after_completion[redirect]" });
    await expect(h.stripe.paymentLinks.retrieve("plink_missing")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
  });

  it("opens a payable Checkout Session from its url and redirects to its hosted page", async () => {
    const print = await price(h.stripe, 1200);
    const link = await h.stripe.paymentLinks.create({
      line_items: [{ price: print.id, quantity: 2 }],
      after_completion: { type: "redirect", redirect: { url: "http://127.0.0.1:3000/thanks" } },
    });
    const visit = await open(link.url);
    expect(visit.status).toBe(303);
    const location = visit.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^${h.emulator.url}/c/pay/cs_test_`));
    const sessionId = location.split("/").at(-1) ?? "";
    const session = await h.stripe.checkout.sessions.retrieve(sessionId);
    expect(session).toMatchObject({
      status: "open",
      mode: "payment",
      amount_total: 2400,
      currency: "eur",
      success_url: "http://127.0.0.1:3000/thanks",
    });
    const page = await fetch(location);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Pay €24.00");
    const second = await open(link.url);
    expect(second.headers.get("location")).not.toBe(location);

    const paid = await payOnHostedPage(location);
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe("http://127.0.0.1:3000/thanks");
    expect(await h.stripe.checkout.sessions.retrieve(sessionId)).toMatchObject({
      status: "complete",
      payment_status: "paid",
    });

    await h.stripe.paymentLinks.update(link.id, { active: false, inactive_message: "Sold out" });
    const closed = await open(link.url);
    expect(closed.status).toBe(410);
    expect(await closed.text()).toContain("Sold out");
    expect((await open(`${h.emulator.url}/b/plink_missing`)).status).toBe(404);
  });

  it("keeps payment links in the state file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "stripe-emulator-links-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, stateFile });
      const print = await price(stripeFor(first), 700);
      const link = await stripeFor(first).paymentLinks.create({ line_items: [{ price: print.id, quantity: 3 }] });
      await first.stop();
      const second = await startEmulator({ port: 0, stateFile });
      try {
        const again = await stripeFor(second).paymentLinks.retrieve(link.id, { expand: ["line_items"] });
        expect(again).toMatchObject({ id: link.id, url: `${second.url}/b/${link.id}` });
        expect(again.line_items?.data[0]?.amount_total).toBe(2100);
        expect((await open(again.url)).status).toBe(303);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
