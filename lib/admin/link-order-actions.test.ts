import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AdminUser } from "@/lib/auth/guard";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import { orderOutcome, settle } from "@/test/pipeline";
import type * as Actions from "./link-order-actions";
import type * as Jobs from "@/lib/jobs";

// Orders sent as payment links, against the real pipeline: the links are created on the
// emulator, customers pay through them there, and its signed deliveries reach the real
// webhook route, settle workers and database.
let harness: Harness;
let stripe: Stripe;
let actions: typeof Actions;
let jobs: typeof Jobs;
let admin: AdminUser;
const db = openTestDb(5);

beforeAll(async () => {
  harness = await startHarness();
  stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  actions = await import("./link-order-actions");
  jobs = await import("@/lib/jobs");
  const email = `admin-${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, role: "ADMIN" } });
  admin = { id: user.id, email, name: null };
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

async function linkOrder(options: { stock?: number; quantity?: number; unitAmount?: number } = {}) {
  const product = await createTestProduct(db, {
    stockOnHand: options.stock ?? 5,
    unitAmount: options.unitAmount ?? 1250,
    currency: "eur",
  });
  const result = await actions.createLinkOrder(admin, {
    items: [{ productId: product.id, quantity: options.quantity ?? 2 }],
    email: "Customer@Example.com",
    note: "As discussed on the phone",
  });
  expect(result).toMatchObject({ ok: true });
  const orderId = result.orderId ?? "";
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  return { product, orderId, order, linkId: order.stripePaymentLinkId ?? "" };
}

/** Opens the link as a customer would and pays the session it starts. */
function payThroughLink(linkId: string, scenario: "card_success" | "card_decline" = "card_success") {
  const session = harness.emulator.openPaymentLink(linkId);
  harness.emulator.pay(session.id, scenario);
  return session;
}

async function eventsAbout(ids: string[]): Promise<Stripe.Event[]> {
  const all: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) all.push(event);
  return all
    .filter((e) => {
      const object = e.data.object as { id?: string; payment_link?: string | null; payment_intent?: string | null };
      return ids.some((id) => id === object.id || id === object.payment_link || id === object.payment_intent);
    })
    .reverse();
}

async function deliver(event: object) {
  const payload = JSON.stringify(event);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  return harness.deliver(payload, signature);
}

const audits = (orderId: string) => db.auditLog.findMany({ where: { orderId }, orderBy: { createdAt: "asc" } });

describe("creating an order sent as a payment link", () => {
  test("the order holds its stock until the deadline; the link completes once, names the order and comes back to it", async () => {
    const started = Date.now();
    const { orderId, order, linkId, product } = await linkOrder();
    expect(order).toMatchObject({
      status: "PENDING",
      paymentStatus: "UNPAID",
      stockState: "RESERVED",
      channel: "PAYMENT_LINK",
      email: "customer@example.com",
      note: "As discussed on the phone",
      amountTotal: 2500,
      paymentLinkActive: true,
    });
    expect(order.paymentDueAt?.getTime()).toBeGreaterThanOrEqual(started + 7 * 24 * 3600_000 - 1000);
    expect(order.linkSentAt).not.toBeNull();
    expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ stockReserved: 2 });

    const link = await stripe.paymentLinks.retrieve(linkId, { expand: ["line_items"] });
    expect(order.paymentLinkUrl).toBe(link.url);
    expect(link).toMatchObject({
      active: true,
      metadata: { orderId },
      payment_intent_data: { metadata: { orderId } },
      restrictions: { completed_sessions: { limit: 1 } },
      after_completion: { type: "redirect" },
    });
    expect(link.after_completion.redirect?.url).toMatch(
      new RegExp(`^http://localhost:3999/orders/${orderId}\\?token=[\\w-]{40,}$`),
    );
    expect(link.line_items?.data).toMatchObject([
      { description: product.name, quantity: 2, amount_total: 2500, price: { unit_amount: 1250, currency: "eur" } },
    ]);

    const [email] = await db.emailOutbox.findMany({ where: { orderId } });
    expect(email).toMatchObject({ kind: "PAYMENT_LINK", to: "customer@example.com" });
    expect(email?.text).toContain(`Pay here: ${link.url}`);
    expect(email?.text).toContain("As discussed on the phone");
    expect(await audits(orderId)).toMatchObject([
      { action: "create_link_order", actorId: admin.id, outcome: "succeeded", target: link.url },
    ]);
  });

  test("when Stripe refuses the link, the stock is released, nothing is sent, and the admin is told why", async () => {
    const product = await createTestProduct(db, { stockOnHand: 20, unitAmount: 10_000_000 });
    const result = await actions.createLinkOrder(admin, {
      items: [{ productId: product.id, quantity: 10 }],
      email: "customer@example.com",
      note: null,
    });
    expect(result).toMatchObject({ ok: false, status: 502 });
    expect(result.message).toMatch(/^Stripe refused to create the payment link .*stock released/);
    expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ stockReserved: 0 });
    const orders = await db.order.findMany({ where: { items: { some: { productId: product.id } } } });
    expect(orders).toMatchObject([{ status: "EXPIRED", stockState: "RELEASED", stripePaymentLinkId: null }]);
    expect(await db.emailOutbox.count({ where: { orderId: orders[0]?.id } })).toBe(0);
  });

  test("the checkout's caps and stock apply", async () => {
    const product = await createTestProduct(db, { stockOnHand: 1 });
    const tooMany = await actions.createLinkOrder(admin, {
      items: [{ productId: product.id, quantity: 11 }],
      email: "customer@example.com",
      note: null,
    });
    expect(tooMany).toMatchObject({ ok: false, status: 400 });
    const noStock = await actions.createLinkOrder(admin, {
      items: [{ productId: product.id, quantity: 2 }],
      email: "customer@example.com",
      note: null,
    });
    expect(noStock).toMatchObject({ ok: false, status: 409 });
    expect(noStock.message).toContain("stock");
  });
});

describe("paying through the link", () => {
  test("the link's session belongs to the order; it turns paid and the link is then deactivated", async () => {
    const { orderId, linkId, order: created } = await linkOrder();
    const { paymentLinkForShopper } = await import("@/lib/orders/read");
    expect(await paymentLinkForShopper(orderId)).toEqual({
      url: created.paymentLinkUrl,
      sentAt: created.linkSentAt,
      dueAt: created.paymentDueAt,
    });
    const session = payThroughLink(linkId);
    await settle(harness);
    // The customer's page offers the link no more: it shows the order paid.
    expect(await paymentLinkForShopper(orderId)).toBeNull();
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "PAID",
      paymentStatus: "PAID",
      reserved: 0,
      onHand: 3,
      ledger: ["CHARGE:2500:succeeded"],
      emails: ["ORDER_CONFIRMATION", "PAYMENT_LINK"],
    });
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { checkoutSessions: true } });
    expect(order.stripeCheckoutSessionId).toBe(session.id);
    expect(order.checkoutSessions).toMatchObject([{ id: session.id, attempt: 1 }]);
    expect(order.needsReview).toBe(false);

    // Stripe's limit has already closed the link; the store makes sure of it, off the webhook's path.
    while (await jobs.deactivateSettledLinksStep());
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ paymentLinkActive: false });
    expect(await stripe.paymentLinks.retrieve(linkId)).toMatchObject({ active: false });

    const intent = (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string;
    const types = (await eventsAbout([linkId, session.id, intent])).map((e) => e.type);
    // What Stripe sends for a link payment, in order: the link's completion limit closes it.
    expect(types).toEqual([
      "payment_link.created",
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
      "payment_link.updated",
    ]);
  });

  test("a link session that names no order in its metadata still belongs to the link's order", async () => {
    const { orderId, linkId } = await linkOrder();
    harness.emulator.configure({ pause: true });
    try {
      const session = payThroughLink(linkId);
      const completed = (await eventsAbout([session.id])).find((e) => e.type === "checkout.session.completed");
      const object = structuredClone(completed?.data.object) as Stripe.Checkout.Session;
      object.metadata = {};
      object.client_reference_id = null;
      const bare = { ...completed, id: `evt_bare_${randomUUID().replaceAll("-", "")}`, data: { object } };
      expect((await deliver(bare)).status).toBe(200);
      await harness.drainInbox();
    } finally {
      harness.emulator.configure({ pause: false });
    }
    await settle(harness);
    expect(await orderOutcome(db, orderId)).toMatchObject({ status: "PAID", ledger: ["CHARGE:2500:succeeded"] });
  });

  test("a session from another link, or one the store never created, does not belong to the order it names", async () => {
    const { orderId } = await linkOrder();
    // Another link that claims the order in its metadata, and a session created outside the store.
    const other = await stripe.paymentLinks.create({
      line_items: [{ price_data: { currency: "eur", unit_amount: 2500, product_data: { name: "x" } }, quantity: 1 }],
      metadata: { orderId },
      payment_intent_data: { metadata: { orderId } },
    });
    const fromOther = payThroughLink(other.id);
    const forged = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "eur", unit_amount: 2500, product_data: { name: "x" } }, quantity: 1 }],
      client_reference_id: orderId,
      metadata: { orderId },
      success_url: "http://localhost:3999/",
    });
    harness.emulator.pay(forged.id, "card_success");
    await settle(harness);
    expect(await orderOutcome(db, orderId)).toMatchObject({ status: "PENDING", ledger: [], reserved: 2 });
    const ignored = await db.webhookEvent.findMany({
      where: { settleKey: { in: [fromOther.id, forged.id] }, type: "checkout.session.completed" },
    });
    expect(ignored.map((e) => e.outcome)).toEqual(["IGNORED", "IGNORED"]);
    expect(await db.checkoutSession.count({ where: { orderId } })).toBe(0);
  });

  test("two sessions of one link both paid in a race: the order is paid once and flagged to refund one", async () => {
    const { orderId, linkId } = await linkOrder();
    // Both customers (or tabs) open the link before either pays: Stripe lets both complete.
    const first = harness.emulator.openPaymentLink(linkId);
    const second = harness.emulator.openPaymentLink(linkId);
    harness.emulator.pay(first.id, "card_success");
    harness.emulator.pay(second.id, "card_success");
    await settle(harness);
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { checkoutSessions: true } });
    const intents = await Promise.all(
      [first.id, second.id].map(async (id) => (await stripe.checkout.sessions.retrieve(id)).payment_intent as string),
    );
    expect(order).toMatchObject({ status: "PAID", paymentStatus: "PAID", needsReview: true });
    const [paidBy, twice] = order.stripePaymentIntentId === intents[0] ? intents : [intents[1], intents[0]];
    expect(order.stripePaymentIntentId).toBe(paidBy);
    expect(order.reviewReason).toBe(`Paid twice: ${paidBy} and ${twice}; refund one`);
    expect(order.checkoutSessions.map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    expect(await orderOutcome(db, orderId)).toMatchObject({
      reserved: 0,
      onHand: 3,
      ledger: ["CHARGE:2500:succeeded", "CHARGE:2500:succeeded"],
      emails: ["ORDER_CONFIRMATION", "PAYMENT_LINK"],
    });
  });
});

describe("admin actions on a link order", () => {
  test("resend queues a new email each time it is asked, once per request", async () => {
    const { orderId, order } = await linkOrder();
    const requestId = randomUUID();
    expect(await actions.resendLink(admin, { orderId, requestId })).toMatchObject({ ok: true });
    expect(await actions.resendLink(admin, { orderId, requestId })).toMatchObject({ ok: true });
    expect(await actions.resendLink(admin, { orderId, requestId: randomUUID() })).toMatchObject({ ok: true });
    const emails = await db.emailOutbox.findMany({ where: { orderId, kind: "PAYMENT_LINK" } });
    expect(emails).toHaveLength(3);
    const after = await db.order.findUniqueOrThrow({ where: { id: orderId } });
    expect(after.linkSentAt?.getTime()).toBeGreaterThan(order.linkSentAt?.getTime() ?? 0);
    expect((await audits(orderId)).map((a) => a.action)).toEqual([
      "create_link_order",
      "resend_payment_link",
      "resend_payment_link",
      "resend_payment_link",
    ]);
  });

  test("cancel deactivates the link, expires the order, releases its stock and tells the customer", async () => {
    const { orderId, linkId, product } = await linkOrder();
    const result = await actions.cancelLinkOrder(admin, orderId);
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toContain("cancelled");
    expect(await stripe.paymentLinks.retrieve(linkId)).toMatchObject({ active: false });
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "EXPIRED",
      paymentStatus: "UNPAID",
      reserved: 0,
      onHand: product.stockOnHand,
      emails: ["PAYMENT_EXPIRED", "PAYMENT_LINK"],
    });
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      stockState: "RELEASED",
      paymentLinkActive: false,
    });
    expect((await audits(orderId)).at(-1)).toMatchObject({
      action: "cancel_link_order",
      outcome: "succeeded",
      target: linkId,
    });
    expect(await actions.cancelLinkOrder(admin, orderId)).toMatchObject({ ok: false, status: 409 });
    expect(await actions.resendLink(admin, { orderId, requestId: randomUUID() })).toMatchObject({ ok: false });
  });

  test("a paid order's link can be neither resent nor cancelled", async () => {
    const { orderId, linkId } = await linkOrder();
    payThroughLink(linkId);
    await settle(harness);
    const cancel = await actions.cancelLinkOrder(admin, orderId);
    expect(cancel).toMatchObject({ ok: false, status: 409 });
    expect(cancel.message).toContain("has been paid");
    const resend = await actions.resendLink(admin, { orderId, requestId: randomUUID() });
    expect(resend).toMatchObject({ ok: false });
    expect(resend.message).toContain("has been paid");
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: "PAID" });
  });
});

describe("the link's deadline", () => {
  test("an unpaid link past its deadline is deactivated, its stock released, the order expired and the customer told", async () => {
    const { runPaymentDeadlines } = await import("@/lib/orders/deadlines");
    const { orderId, linkId, product } = await linkOrder({ stock: 3, quantity: 2 });
    await settle(harness);
    expect(await runPaymentDeadlines()).toMatchObject({ closed: 0 });
    await db.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    expect(await runPaymentDeadlines()).toMatchObject({ closed: 1, failed: 0 });
    expect((await stripe.paymentLinks.retrieve(linkId)).active).toBe(false);
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      status: "EXPIRED",
      stockState: "RELEASED",
      paymentLinkActive: false,
    });
    expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
      stockOnHand: 3,
      stockReserved: 0,
    });
    expect((await orderOutcome(db, orderId)).emails).toContain("PAYMENT_EXPIRED");
    expect(await runPaymentDeadlines()).toMatchObject({ closed: 0 });
  });

  test("a reminder with the link goes once before the deadline", async () => {
    const { runPaymentDeadlines } = await import("@/lib/orders/deadlines");
    const { orderId, order } = await linkOrder();
    const now = Date.now();
    await db.order.update({
      where: { id: orderId },
      data: { createdAt: new Date(now - 6 * 86_400_000), paymentDueAt: new Date(now + 86_400_000) },
    });
    expect((await runPaymentDeadlines()).reminded).toBeGreaterThanOrEqual(1);
    await runPaymentDeadlines();
    const reminders = await db.emailOutbox.findMany({ where: { orderId, kind: "PAYMENT_REMINDER" } });
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.text).toContain(`Pay here: ${order.paymentLinkUrl}`);
  });
});
