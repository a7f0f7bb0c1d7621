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

describe("official Stripe CLI", () => {
  it("triggers checkout.session.completed", { timeout: 50_000 }, async () => {
    const result = await trigger("checkout.session.completed");
    expect(result.output).toContain("Trigger succeeded");
    expect(result.code).toBe(0);
    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types()).toEqual([
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
    ]);
    const completed = h.receiver.deliveries.at(-1)?.event.data.object;
    expect(completed).toMatchObject({ payment_status: "paid", amount_total: 3000, currency: "usd" });
  });

  it("triggers checkout.session.async_payment_succeeded", { timeout: 50_000 }, async () => {
    h.receiver.clear();
    const result = await trigger("checkout.session.async_payment_succeeded");
    expect(result.output).toContain("Trigger succeeded");
    expect(result.code).toBe(0);
    h.emulator.advanceClock(5);
    await h.emulator.flushDeliveries();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types()).toEqual([
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
