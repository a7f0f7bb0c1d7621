import { describe, expect, it } from "vitest";
import type { EmulatorOptions } from "./config";
import { optionsFromEnv } from "./env";

describe("optionsFromEnv", () => {
  it("applies the documented defaults", () => {
    expect(optionsFromEnv({}, "/srv/app")).toMatchObject({
      port: 12111,
      stateFile: "/srv/app/.data/stripe-emulator/state.json",
      webhookEndpoints: [{ url: "http://127.0.0.1:3000/api/webhook", secret: "whsec_emulator_local_secret" }],
      asyncDelaySeconds: undefined,
      retrySchedule: undefined,
      businessName: undefined,
    });
  });

  it("reads every variable", () => {
    const options = optionsFromEnv(
      {
        STRIPE_EMULATOR_PORT: "4010",
        STRIPE_EMULATOR_PUBLIC_URL: "http://pay.localhost:4010",
        STRIPE_EMULATOR_STATE_FILE: "/tmp/s.json",
        STRIPE_EMULATOR_WEBHOOK_URL: "http://127.0.0.1:3000/a, http://127.0.0.1:3001/b",
        STRIPE_WEBHOOK_SECRET: "whsec_abc",
        STRIPE_EMULATOR_ASYNC_DELAY_S: "2.5",
        STRIPE_EMULATOR_RETRY_SCHEDULE: "0.5, 2,10",
        STRIPE_EMULATOR_ATTEMPT_TIMEOUT_MS: "1500",
        STRIPE_EMULATOR_BUSINESS_NAME: " Fieldnote Goods ",
      },
      "/srv/app",
    );
    expect(options).toMatchObject({
      port: 4010,
      publicUrl: "http://pay.localhost:4010",
      stateFile: "/tmp/s.json",
      webhookEndpoints: [
        { url: "http://127.0.0.1:3000/a", secret: "whsec_abc" },
        { url: "http://127.0.0.1:3001/b", secret: "whsec_abc" },
      ],
      asyncDelaySeconds: 2.5,
      retrySchedule: [0.5, 2, 10],
      attemptTimeoutMs: 1500,
      businessName: "Fieldnote Goods",
    });
    expect(optionsFromEnv({ STRIPE_EMULATOR_WEBHOOK_URL: "none" }, "/").webhookEndpoints).toEqual([]);
  });

  it.each<[string, Record<string, string>, Pick<EmulatorOptions, "latency" | "rateLimit">]>([
    ["pace off by default", {}, { latency: undefined, rateLimit: undefined }],
    ["the realistic latency preset", { STRIPE_EMULATOR_LATENCY: "realistic" }, { latency: "realistic" }],
    ["a fixed latency", { STRIPE_EMULATOR_LATENCY: "50" }, { latency: 50 }],
    [
      "a custom latency profile",
      { STRIPE_EMULATOR_LATENCY: "20, 70,200,600" },
      { latency: { minMs: 20, medianMs: 70, p95Ms: 200, maxMs: 600 } },
    ],
    ["a rate limit preset", { STRIPE_EMULATOR_RATE_LIMIT: "sandbox" }, { rateLimit: { preset: "sandbox" } }],
    [
      "budgets overriding a preset",
      {
        STRIPE_EMULATOR_RATE_LIMIT: "live",
        STRIPE_EMULATOR_RATE_LIMIT_GLOBAL: "off",
        STRIPE_EMULATOR_RATE_LIMIT_ENDPOINT: "40",
        STRIPE_EMULATOR_INJECT_429: "0.05",
      },
      { rateLimit: { preset: "live", globalPerSecond: null, endpointPerSecond: 40, inject429: 0.05 } },
    ],
    [
      "injection alone (budgets stay off)",
      { STRIPE_EMULATOR_INJECT_429: "0.1" },
      { rateLimit: { preset: "off", inject429: 0.1 } },
    ],
  ])("reads %s", (_label, env, expected) => {
    const options = optionsFromEnv(env, "/");
    expect({ latency: options.latency, rateLimit: options.rateLimit }).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["STRIPE_EMULATOR_LATENCY", "fast", /STRIPE_EMULATOR_LATENCY must be off, realistic, a delay in ms/],
    ["STRIPE_EMULATOR_LATENCY", "20,700,200,600", /STRIPE_EMULATOR_LATENCY .*increasing order/],
    ["STRIPE_EMULATOR_LATENCY", "60001", /STRIPE_EMULATOR_LATENCY/],
    ["STRIPE_EMULATOR_RATE_LIMIT", "turbo", /STRIPE_EMULATOR_RATE_LIMIT must be off, sandbox or live/],
    ["STRIPE_EMULATOR_RATE_LIMIT_GLOBAL", "0", /STRIPE_EMULATOR_RATE_LIMIT_GLOBAL must be a number .* or off/],
    ["STRIPE_EMULATOR_RATE_LIMIT_ENDPOINT", "lots", /STRIPE_EMULATOR_RATE_LIMIT_ENDPOINT/],
    ["STRIPE_EMULATOR_INJECT_429", "1.5", /STRIPE_EMULATOR_INJECT_429/],
    ["STRIPE_EMULATOR_INJECT_429", "often", /STRIPE_EMULATOR_INJECT_429 must be a probability/],
  ])("rejects %s=%s with a message naming it", (name, value, message) => {
    expect(() => optionsFromEnv({ [name]: value }, "/")).toThrow(message);
  });

  it("names the variable that is wrong", () => {
    expect(() => optionsFromEnv({ STRIPE_EMULATOR_RETRY_SCHEDULE: "1,soon" }, "/")).toThrow(
      /STRIPE_EMULATOR_RETRY_SCHEDULE/,
    );
    expect(() => optionsFromEnv({ STRIPE_WEBHOOK_SECRET: "secret" }, "/")).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => optionsFromEnv({ STRIPE_EMULATOR_PORT: "99999" }, "/")).toThrow(/STRIPE_EMULATOR_PORT/);
  });
});
