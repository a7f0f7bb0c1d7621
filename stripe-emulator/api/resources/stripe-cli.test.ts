import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../test-support/harness";
import { triggerWithCli } from "../../test-support/stripe-cli";

let h: Harness;
let home: string;

beforeAll(async () => {
  h = await startHarness({ asyncDelaySeconds: 5 });
  home = await mkdtemp(path.join(os.tmpdir(), "stripe-cli-home-"));
});

afterAll(async () => {
  await h.close();
  await rm(home, { recursive: true, force: true });
});

/** Runs a trigger, which must succeed, and answers the event types delivered because of it. */
async function triggerAndCollect(event: string): Promise<string[]> {
  await h.emulator.flushDeliveries();
  h.receiver.clear();
  const result = await triggerWithCli(event, h.emulator.url, home);
  expect(result.output).toContain("Trigger succeeded");
  expect(result.code).toBe(0);
  await h.emulator.flushDeliveries();
  expect(h.receiver.rejected).toEqual([]);
  return h.receiver.types();
}

describe("official Stripe CLI", () => {
  it("triggers checkout.session.completed", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("checkout.session.completed")).toEqual([
      "product.created",
      "price.created",
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
    ]);
    const completed = h.receiver.deliveries.at(-1)?.event.data.object;
    expect(completed).toMatchObject({ payment_status: "paid", amount_total: 3000, currency: "usd" });
  });

  it("triggers checkout.session.async_payment_succeeded", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("checkout.session.async_payment_succeeded")).toEqual([
      "product.created",
      "price.created",
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "checkout.session.completed",
    ]);
    h.emulator.advanceClock(5);
    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types()).toEqual([
      "product.created",
      "price.created",
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "checkout.session.completed",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.async_payment_succeeded",
    ]);
  });
});

describe("official Stripe CLI, payment intents and charges", () => {
  it("triggers payment_intent.succeeded", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("payment_intent.succeeded")).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
    ]);
    const succeeded = h.receiver.deliveries[1]?.event.data.object;
    expect(succeeded).toMatchObject({ status: "succeeded", amount: 2000, amount_received: 2000, currency: "usd" });
    expect(succeeded).toMatchObject({ shipping: { name: "Jenny Rosen", address: { city: "San Francisco" } } });
  });

  it("triggers payment_intent.payment_failed", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("payment_intent.payment_failed")).toEqual([
      "payment_intent.created",
      "charge.failed",
      "payment_intent.payment_failed",
    ]);
    const failed = h.receiver.deliveries.at(-1)?.event.data.object;
    expect(failed).toMatchObject({
      status: "requires_payment_method",
      last_payment_error: { code: "card_declined", decline_code: "generic_decline" },
    });
  });

  it("triggers charge.refunded", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("charge.refunded")).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "charge.refunded",
      "refund.created",
    ]);
    const refunded = h.receiver.deliveries[3]?.event.data.object;
    expect(refunded).toMatchObject({ object: "charge", amount: 100, amount_refunded: 100, refunded: true });
  });

  it("triggers charge.dispute.created (an inquiry)", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("charge.dispute.created")).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "charge.dispute.created",
    ]);
    const dispute = h.receiver.deliveries.at(-1)?.event.data.object;
    expect(dispute).toMatchObject({
      object: "dispute",
      amount: 100,
      status: "warning_needs_response",
      is_charge_refundable: true,
    });
  });

  it("triggers checkout.session.async_payment_failed", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("checkout.session.async_payment_failed")).toEqual([
      "product.created",
      "price.created",
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "checkout.session.completed",
    ]);
    h.emulator.advanceClock(5);
    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types().slice(6)).toEqual([
      "charge.failed",
      "payment_intent.payment_failed",
      "checkout.session.async_payment_failed",
    ]);
  });

  it("triggers checkout.session.expired", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("checkout.session.expired")).toEqual([
      "product.created",
      "price.created",
      "checkout.session.expired",
    ]);
    expect(h.receiver.deliveries.at(-1)?.event.data.object).toMatchObject({ status: "expired", url: null });
  });

  it("triggers customer.created", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("customer.created")).toEqual(["customer.created"]);
    expect(h.receiver.deliveries[0]?.event.data.object).toMatchObject({
      object: "customer",
      description: "(created by Stripe CLI)",
    });
  });

  it("triggers payment_link.created", { timeout: 50_000 }, async () => {
    expect(await triggerAndCollect("payment_link.created")).toEqual([
      "product.created",
      "price.created",
      "payment_link.created",
    ]);
    const link = h.receiver.deliveries[2]?.event.data.object;
    expect(link).toMatchObject({ object: "payment_link", active: true, currency: "usd", invoice_creation: null });
    expect(link).toMatchObject({ subscription_data: { trial_period_days: null } });
  });
});
