import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../index";
import { control, payOnHostedPage, setUpHarness, stripeFor } from "../../test-support/harness";

const h = setUpHarness();

async function linkFor(stripe: Stripe, params: Omit<Stripe.PaymentLinkCreateParams, "line_items"> = {}) {
  const product = await stripe.products.create({ name: "Print" });
  const price = await stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 1500 });
  return stripe.paymentLinks.create({ line_items: [{ price: price.id, quantity: 2 }], ...params });
}

/** Follows the link as a shopper's browser would: the 303 to the session's hosted page. */
async function follow(url: string): Promise<{ sessionId: string; page: string }> {
  const visit = await fetch(url, { redirect: "manual" });
  expect(visit.status).toBe(303);
  const page = visit.headers.get("location") ?? "";
  return { sessionId: page.split("/").at(-1) ?? "", page };
}

/** What paying a session by card sends, in order. */
const CARD_PAYMENT = [
  "payment_intent.created",
  "payment_intent.succeeded",
  "charge.succeeded",
  "checkout.session.completed",
];

/** Event types in the order the emulator sent them. */
async function eventTypes(stripe: Stripe): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 });
  return events.data.map((e) => e.type).reverse();
}

async function openOnControl(linkId: string): Promise<string> {
  const opened = await control(h.emulator, "POST", `/_emulator/payment_links/${linkId}/open`);
  expect(opened.status).toBe(200);
  return (opened.body as { session: { id: string } }).session.id;
}

describe("sessions opened from payment links", () => {
  it("carry the link's settings, and a payment through the hosted page completes with payment_link", async () => {
    const link = await linkFor(h.stripe, {
      metadata: { campaign: "winter" },
      after_completion: {
        type: "redirect",
        redirect: { url: "http://127.0.0.1:3000/thanks?session_id={CHECKOUT_SESSION_ID}" },
      },
      payment_intent_data: { description: "Winter prints", metadata: { channel: "link" } },
      customer_creation: "always",
      payment_method_types: ["card"],
      submit_type: "pay",
    });
    expect(link).toMatchObject({
      customer_creation: "always",
      payment_intent_data: {
        capture_method: null,
        description: "Winter prints",
        metadata: { channel: "link" },
        setup_future_usage: null,
        statement_descriptor: null,
        statement_descriptor_suffix: null,
        transfer_group: null,
      },
      restrictions: null,
    });

    const { sessionId, page } = await follow(link.url);
    const session = await h.stripe.checkout.sessions.retrieve(sessionId, { expand: ["payment_link"] });
    expect(session).toMatchObject({
      status: "open",
      amount_total: 3000,
      metadata: { campaign: "winter" },
      success_url: "http://127.0.0.1:3000/thanks?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: null,
      customer_creation: "always",
      payment_method_types: ["card"],
      submit_type: "pay",
      payment_link: { id: link.id, object: "payment_link" },
    });

    const paid = await payOnHostedPage(page);
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://127.0.0.1:3000/thanks?session_id=${sessionId}`);
    const completed = await h.stripe.checkout.sessions.retrieve(sessionId, { expand: ["payment_intent"] });
    expect(completed).toMatchObject({ status: "complete", payment_status: "paid", payment_link: link.id });
    // The link's metadata is on the session only; its payment_intent_data is on the intent.
    expect(completed.payment_intent).toMatchObject({
      description: "Winter prints",
      metadata: { channel: "link" },
    });

    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    const delivered = h.receiver.deliveries.find((d) => d.event.type === "checkout.session.completed");
    expect(delivered?.event.data.object).toMatchObject({ id: sessionId, payment_link: link.id });
    expect(await eventTypes(h.stripe)).toEqual([
      "product.created",
      "price.created",
      "payment_link.created",
      // The link asks Checkout to always create a customer, which it does as the shopper pays.
      "customer.created",
      ...CARD_PAYMENT,
    ]);
  });

  it("show the link's hosted confirmation message once paid", async () => {
    const link = await linkFor(h.stripe, {
      after_completion: { type: "hosted_confirmation", hosted_confirmation: { custom_message: "See you soon!" } },
    });
    const { sessionId, page } = await follow(link.url);
    expect((await h.stripe.checkout.sessions.retrieve(sessionId)).success_url).toBeNull();
    const paid = await payOnHostedPage(page);
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain("See you soon!");
    expect(await (await fetch(page)).text()).toContain("See you soon!");
  });

  it("take payment_intent_data on update, replacing its metadata, for the sessions opened after", async () => {
    const link = await linkFor(h.stripe, {
      payment_intent_data: { description: "Winter prints", metadata: { channel: "link", batch: "1" } },
    });
    const updated = await h.stripe.paymentLinks.update(link.id, {
      payment_intent_data: { metadata: { channel: "newsletter" } },
    });
    expect(updated.payment_intent_data).toMatchObject({
      description: "Winter prints",
      metadata: { channel: "newsletter" },
    });
    await h.emulator.flushDeliveries();
    expect(h.receiver.deliveries.at(-1)?.event).toMatchObject({
      type: "payment_link.updated",
      data: { previous_attributes: { payment_intent_data: { metadata: { channel: "link", batch: "1" } } } },
    });
    const paid = h.emulator.pay(h.emulator.openPaymentLink(link.id).id, "card_success");
    const intent = await h.stripe.paymentIntents.retrieve(paid.payment_intent ?? "");
    expect(intent).toMatchObject({ description: "Winter prints", metadata: { channel: "newsletter" } });

    const cleared = await h.stripe.paymentLinks.update(link.id, {
      payment_intent_data: { description: "", metadata: "" },
    });
    expect(cleared.payment_intent_data).toMatchObject({ description: null, metadata: {} });
    const bare = await linkFor(h.stripe);
    expect(bare.payment_intent_data).toBeNull();
    const session = h.emulator.pay(h.emulator.openPaymentLink(bare.id).id, "card_success");
    expect(await h.stripe.paymentIntents.retrieve(session.payment_intent ?? "")).toMatchObject({
      description: null,
      metadata: {},
    });
  });

  it("are listed by payment_link", async () => {
    const first = await linkFor(h.stripe);
    const second = await linkFor(h.stripe);
    const a = await openOnControl(first.id);
    const b = await openOnControl(first.id);
    await openOnControl(second.id);
    const listed = await h.stripe.checkout.sessions.list({ payment_link: first.id });
    expect(listed.data.map((s) => s.id)).toEqual([b, a]);
    expect((await h.stripe.checkout.sessions.list({ payment_link: "plink_none" })).data).toEqual([]);
  });

  it("deactivate the link when completed_sessions reaches its limit; a session opened before still completes", async () => {
    const link = await linkFor(h.stripe, {
      restrictions: { completed_sessions: { limit: 1 } },
      inactive_message: "Sold out",
    });
    expect(link.restrictions).toEqual({ completed_sessions: { count: 0, limit: 1 } });
    // Two shoppers open the link before either pays.
    const first = await openOnControl(link.id);
    const second = await openOnControl(link.id);

    expect(h.emulator.pay(first, "card_success")).toMatchObject({ status: "complete", payment_link: link.id });
    expect(await h.stripe.paymentLinks.retrieve(link.id)).toMatchObject({
      active: false,
      restrictions: { completed_sessions: { count: 1, limit: 1 } },
    });
    const closed = await fetch(link.url, { redirect: "manual" });
    expect(closed.status).toBe(410);
    expect(await closed.text()).toContain("Sold out");
    await expect(control(h.emulator, "POST", `/_emulator/payment_links/${link.id}/open`)).resolves.toMatchObject({
      status: 400,
    });

    expect(h.emulator.pay(second, "card_success")).toMatchObject({ status: "complete", payment_status: "paid" });
    expect((await h.stripe.paymentLinks.retrieve(link.id)).restrictions).toEqual({
      completed_sessions: { count: 2, limit: 1 },
    });

    const events = (await h.stripe.events.list({ limit: 100 })).data.reverse();
    expect(events.map((e) => e.type)).toEqual([
      "product.created",
      "price.created",
      "payment_link.created",
      ...CARD_PAYMENT,
      "payment_link.updated",
      ...CARD_PAYMENT,
    ]);
    const updated = events.find((e) => e.type === "payment_link.updated");
    expect(updated?.data.object).toMatchObject({ id: link.id, active: false });
    expect(updated?.data.previous_attributes).toEqual({
      active: true,
      restrictions: { completed_sessions: { count: 0 } },
    });
    const completions = events.filter((e) => e.type === "checkout.session.completed").map((e) => e.data.object);
    expect(completions).toMatchObject([
      { id: first, payment_link: link.id },
      { id: second, payment_link: link.id },
    ]);
  });

  it("stay payable after the link is deactivated by hand", async () => {
    const link = await linkFor(h.stripe);
    const open = h.emulator.openPaymentLink(link.id);
    expect(open).toMatchObject({ status: "open", payment_link: link.id, url: `${h.emulator.url}/c/pay/${open.id}` });
    await h.stripe.paymentLinks.update(link.id, { active: false });
    expect((await fetch(link.url, { redirect: "manual" })).status).toBe(410);
    expect(h.emulator.pay(open.id, "card_success")).toMatchObject({ status: "complete", payment_status: "paid" });
    expect(await h.stripe.paymentLinks.retrieve(link.id)).toMatchObject({ active: false, restrictions: null });
  });

  it("take restrictions on update, keeping the count, and refuse what Stripe refuses", async () => {
    const link = await linkFor(h.stripe);
    h.emulator.pay(h.emulator.openPaymentLink(link.id).id, "card_success");
    const limited = await h.stripe.paymentLinks.update(link.id, { restrictions: { completed_sessions: { limit: 3 } } });
    expect(limited.restrictions).toEqual({ completed_sessions: { count: 1, limit: 3 } });
    await h.emulator.flushDeliveries();
    expect(h.receiver.deliveries.at(-1)?.event).toMatchObject({
      type: "payment_link.updated",
      data: { previous_attributes: { restrictions: null } },
    });
    const unlimited = await h.stripe.paymentLinks.update(link.id, { restrictions: "" });
    expect(unlimited.restrictions).toBeNull();

    await expect(
      h.stripe.paymentLinks.update(link.id, { restrictions: { completed_sessions: { limit: 0 } } }),
    ).rejects.toMatchObject({ statusCode: 400, param: "restrictions[completed_sessions][limit]" });
    const price = (await h.stripe.paymentLinks.listLineItems(link.id)).data[0]?.price?.id ?? "";
    await expect(
      h.stripe.paymentLinks.create({
        line_items: [{ price, quantity: 1, adjustable_quantity: { enabled: true } }],
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_unknown",
      param: "line_items[0][adjustable_quantity]",
    });
    await expect(
      h.stripe.paymentLinks.create({
        line_items: [{ price, quantity: 1 }],
        payment_intent_data: { capture_method: "manual" },
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "parameter_unknown",
      param: "payment_intent_data[capture_method]",
    });
    const missing = await control(h.emulator, "POST", "/_emulator/payment_links/plink_missing/open");
    expect(missing.status).toBe(404);
  });

  it("keep payment_link and the completed count in the state file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "stripe-emulator-link-sessions-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, stateFile });
      const link = await linkFor(stripeFor(first), { restrictions: { completed_sessions: { limit: 2 } } });
      const paid = first.openPaymentLink(link.id).id;
      first.pay(paid, "card_success");
      const open = first.openPaymentLink(link.id).id;
      await first.stop();
      const second = await startEmulator({ port: 0, stateFile });
      try {
        const stripe = stripeFor(second);
        expect((await stripe.checkout.sessions.retrieve(paid)).payment_link).toBe(link.id);
        second.pay(open, "card_success");
        expect(await stripe.paymentLinks.retrieve(link.id)).toMatchObject({
          active: false,
          restrictions: { completed_sessions: { count: 2, limit: 2 } },
        });
        expect((await stripe.checkout.sessions.list({ payment_link: link.id })).data).toHaveLength(2);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
