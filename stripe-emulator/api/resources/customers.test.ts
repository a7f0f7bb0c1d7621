import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../index";
import { stripeFor, setUpHarness } from "../../test-support/harness";

const h = setUpHarness();

async function delivered(): Promise<Stripe.Event[]> {
  await h.emulator.flushDeliveries();
  expect(h.receiver.rejected).toEqual([]);
  return h.receiver.deliveries.map((d) => d.event);
}

describe("customers", () => {
  it("creates a customer with Stripe's defaults and sends customer.created", async () => {
    const customer = await h.stripe.customers.create(
      {
        email: "jenny@example.com",
        name: "Jenny Rosen",
        phone: "+4930123456",
        description: "Regular",
        metadata: { shop_user: "42" },
        address: { line1: "Unter den Linden 1", city: "Berlin", postal_code: "10117", country: "DE" },
        shipping: { name: "Jenny Rosen", address: { line1: "Hauptstr. 5", city: "Potsdam", country: "DE" } },
        preferred_locales: ["de", "en"],
      },
      { idempotencyKey: "customer-create-1" },
    );
    expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(customer.invoice_prefix).toMatch(/^[0-9A-F]{8}$/);
    expect(customer).toEqual({
      id: customer.id,
      object: "customer",
      address: {
        city: "Berlin",
        country: "DE",
        line1: "Unter den Linden 1",
        line2: null,
        postal_code: "10117",
        state: null,
      },
      balance: 0,
      created: expect.any(Number) as number,
      currency: null,
      customer_account: null,
      default_source: null,
      delinquent: false,
      description: "Regular",
      discount: null,
      email: "jenny@example.com",
      invoice_prefix: customer.invoice_prefix,
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: { shop_user: "42" },
      name: "Jenny Rosen",
      next_invoice_sequence: 1,
      phone: "+4930123456",
      preferred_locales: ["de", "en"],
      shipping: {
        name: "Jenny Rosen",
        phone: null,
        address: { city: "Potsdam", country: "DE", line1: "Hauptstr. 5", line2: null, postal_code: null, state: null },
      },
      tax_exempt: "none",
      test_clock: null,
    });
    const [event] = await delivered();
    expect(event).toMatchObject({
      type: "customer.created",
      data: { object: { id: customer.id, email: "jenny@example.com" } },
      request: { id: customer.lastResponse.requestId, idempotency_key: "customer-create-1" },
    });
    expect(event?.data.previous_attributes).toBeUndefined();
    expect(await h.stripe.customers.retrieve(customer.id)).toEqual({ ...customer });
  });

  it("updates, reports the former values in previous_attributes and skips the event when nothing changed", async () => {
    const customer = await h.stripe.customers.create({
      email: "a@example.com",
      metadata: { tier: "gold", keep: "1" },
    });
    const updated = await h.stripe.customers.update(customer.id, {
      email: "b@example.com",
      name: "Bea",
      description: "",
      metadata: { tier: "", added: "yes" },
      address: { line1: "Somewhere 1" },
    });
    expect(updated).toMatchObject({
      email: "b@example.com",
      name: "Bea",
      description: null,
      metadata: { keep: "1", added: "yes" },
      address: { line1: "Somewhere 1", city: null },
    });
    await h.stripe.customers.update(customer.id, { name: "Bea" });
    const events = await delivered();
    expect(events.map((e) => e.type)).toEqual(["customer.created", "customer.updated"]);
    expect(events[1]?.data.object).toMatchObject({ id: customer.id, email: "b@example.com" });
    expect(events[1]?.data.previous_attributes).toEqual({
      email: "a@example.com",
      name: null,
      address: null,
      metadata: { tier: "gold", added: null },
    });

    await h.stripe.customers.update(customer.id, { metadata: "", address: "" });
    const cleared = await h.stripe.customers.retrieve(customer.id);
    expect(cleared).toMatchObject({ metadata: {}, address: null });
    expect((await delivered()).at(-1)?.data.previous_attributes).toEqual({
      metadata: { keep: "1", added: "yes" },
      address: { city: null, country: null, line1: "Somewhere 1", line2: null, postal_code: null, state: null },
    });
  });

  it("deletes: answers Stripe's deleted object, sends customer.deleted, then only retrieve knows it", async () => {
    const customer = await h.stripe.customers.create({ email: "gone@example.com" });
    const removed = await h.stripe.customers.del(customer.id);
    expect(removed).toEqual({ id: customer.id, object: "customer", deleted: true });
    const events = await delivered();
    expect(events.map((e) => e.type)).toEqual(["customer.created", "customer.deleted"]);
    expect(events[1]?.data.object).toMatchObject({ id: customer.id, object: "customer", email: "gone@example.com" });
    const again = await h.stripe.customers.retrieve(customer.id);
    expect(again).toMatchObject({ id: customer.id, deleted: true });
    for (const attempt of [
      h.stripe.customers.update(customer.id, { name: "x" }),
      h.stripe.customers.del(customer.id),
    ]) {
      await expect(attempt).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });
    }
    expect((await h.stripe.customers.list()).data).toEqual([]);
  });

  it("lists newest first, pages with cursors and filters by email", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await h.stripe.customers.create({ email: i % 2 === 0 ? "even@example.com" : "odd@example.com" })).id);
    }
    const newest = [...ids].reverse();
    const first = await h.stripe.customers.list({ limit: 2 });
    expect(first).toMatchObject({ object: "list", url: "/v1/customers", has_more: true });
    expect(first.data.map((c) => c.id)).toEqual(newest.slice(0, 2));
    const second = await h.stripe.customers.list({ limit: 2, starting_after: newest[1] });
    expect(second.data.map((c) => c.id)).toEqual(newest.slice(2, 4));
    const back = await h.stripe.customers.list({ limit: 2, ending_before: newest[4] });
    expect(back.data.map((c) => c.id)).toEqual(newest.slice(2, 4));
    const all: string[] = [];
    for await (const c of h.stripe.customers.list({ limit: 2 })) all.push(c.id);
    expect(all).toEqual(newest);
    const even = await h.stripe.customers.list({ email: "even@example.com" });
    expect(even.data.map((c) => c.id)).toEqual([ids[4], ids[2], ids[0]]);
    await expect(h.stripe.customers.list({ starting_after: "cus_nope" })).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      param: "starting_after",
    });
  });

  it("answers mistakes with Stripe's errors and codes", async () => {
    const unknown = await h.stripe.customers.create({ email: "x@example.com", balance: 100 }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknown).toMatchObject({
      statusCode: 400,
      code: "parameter_unknown",
      param: "balance",
      message: "Received unknown parameter: balance",
    });
    await expect(h.stripe.customers.create({ email: "not-an-email" })).rejects.toMatchObject({
      statusCode: 400,
      code: "email_invalid",
      param: "email",
    });
    await expect(h.stripe.customers.create({ shipping: { name: "", address: { line1: "x" } } })).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_invalid_empty",
      param: "shipping[name]",
    });
    await expect(h.stripe.rawRequest("POST", "/v1/customers", { shipping: { name: "Jo" } })).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_missing",
      param: "shipping[address]",
    });
    await expect(h.stripe.customers.retrieve("cus_missing")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      message: "No such customer: 'cus_missing'",
    });
    expect(await delivered()).toEqual([]);
  });

  it("keeps customers, deleted ones included, in the state file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "stripe-emulator-customers-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, stateFile });
      const kept = await stripeFor(first).customers.create({ email: "kept@example.com", metadata: { a: "1" } });
      const gone = await stripeFor(first).customers.create({ email: "gone@example.com" });
      await stripeFor(first).customers.del(gone.id);
      await first.stop();
      const second = await startEmulator({ port: 0, stateFile });
      try {
        const again = stripeFor(second);
        expect(await again.customers.retrieve(kept.id)).toMatchObject({
          email: "kept@example.com",
          metadata: { a: "1" },
        });
        expect(await again.customers.retrieve(gone.id)).toMatchObject({ deleted: true });
        expect((await again.customers.list()).data.map((c) => c.id)).toEqual([kept.id]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
