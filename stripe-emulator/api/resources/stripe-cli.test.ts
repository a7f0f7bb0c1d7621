import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../test-support/harness";

const require = createRequire(import.meta.url);
const CLI = path.join(path.dirname(require.resolve("@stripe/cli/package.json")), "bin", "shim.js");
// The CLI rejects keys shorter than 12 characters.
const CLI_KEY = "sk_test_emulator_cli_123";

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

function trigger(event: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "trigger", event, "--api-key", CLI_KEY, "--api-base", h.emulator.url], {
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, ".config"),
        STRIPE_CLI_TELEMETRY_OPTOUT: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Runs a trigger, which must succeed, and answers the event types delivered because of it. */
async function triggerAndCollect(event: string): Promise<string[]> {
  await h.emulator.flushDeliveries();
  h.receiver.clear();
  const result = await trigger(event);
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
});
