import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../test-support/harness";
import { triggerWithCli } from "../../test-support/stripe-cli";

let h: Harness;
let home: string;

beforeAll(async () => {
  h = await startHarness();
  home = await mkdtemp(path.join(os.tmpdir(), "stripe-cli-objects-home-"));
});

afterAll(async () => {
  await h.close();
  await rm(home, { recursive: true, force: true });
});

beforeEach(async () => {
  await h.emulator.flushDeliveries();
  h.emulator.reset();
  h.receiver.clear();
});

function trigger(event: string) {
  return triggerWithCli(event, h.emulator.url, home);
}

describe("official Stripe CLI, object triggers", () => {
  it("triggers customer.created", { timeout: 50_000 }, async () => {
    const result = await trigger("customer.created");
    expect(result.output).toContain("Trigger succeeded");
    expect(result.code).toBe(0);
    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types()).toEqual(["customer.created"]);
    expect(h.receiver.deliveries[0]?.event.data.object).toMatchObject({
      object: "customer",
      description: "(created by Stripe CLI)",
    });
  });

  it("triggers payment_link.created", { timeout: 50_000 }, async () => {
    const result = await trigger("payment_link.created");
    expect(result.output).toContain("Trigger succeeded");
    expect(result.code).toBe(0);
    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types()).toEqual(["product.created", "price.created", "payment_link.created"]);
    const link = h.receiver.deliveries[2]?.event.data.object;
    expect(link).toMatchObject({ object: "payment_link", active: true, currency: "usd", invoice_creation: null });
    expect(link).toMatchObject({ subscription_data: { trial_period_days: null } });
  });
});
