import { describe, expect, it } from "vitest";
import {
  latencyInputSchema,
  RATE_LIMIT_PRESETS,
  rateLimitInputSchema,
  resolveLatency,
  resolveRateLimit,
  type LatencyInput,
  type LatencyProfile,
  type RateLimitInput,
  type RateLimitSettings,
} from "./settings";

const limited: RateLimitSettings = { globalPerSecond: 10, endpointPerSecond: 5, inject429: 0.1 };

describe("resolveRateLimit", () => {
  it.each<[string, RateLimitInput, RateLimitSettings]>([
    ["sandbox preset", "sandbox", { globalPerSecond: 25, endpointPerSecond: 25, inject429: 0 }],
    ["live preset", "live", { globalPerSecond: 100, endpointPerSecond: 25, inject429: 0 }],
    ["off preset clears injection too", "off", { globalPerSecond: null, endpointPerSecond: null, inject429: 0 }],
    ["fields change only themselves", { inject429: 0.5 }, { ...limited, inject429: 0.5 }],
    ["null lifts one budget", { endpointPerSecond: null }, { ...limited, endpointPerSecond: null }],
    [
      "a preset in the object form is the base for the other fields",
      { preset: "live", inject429: 0.05 },
      { globalPerSecond: 100, endpointPerSecond: 25, inject429: 0.05 },
    ],
  ])("%s", (_label, input, expected) => {
    expect(resolveRateLimit(limited, rateLimitInputSchema.parse(input))).toEqual(expected);
  });

  it("rejects budgets of zero or below and unknown presets", () => {
    expect(rateLimitInputSchema.safeParse({ globalPerSecond: 0 }).success).toBe(false);
    expect(rateLimitInputSchema.safeParse({ inject429: 1.5 }).success).toBe(false);
    expect(rateLimitInputSchema.safeParse("turbo").success).toBe(false);
    expect(RATE_LIMIT_PRESETS.off.inject429).toBe(0);
  });
});

describe("resolveLatency", () => {
  it.each<[string, LatencyInput, LatencyProfile]>([
    ["off", "off", { minMs: 0, medianMs: 0, p95Ms: 0, maxMs: 0 }],
    ["realistic", "realistic", { minMs: 20, medianMs: 70, p95Ms: 200, maxMs: 600 }],
    ["a fixed delay", 50, { minMs: 50, medianMs: 50, p95Ms: 50, maxMs: 50 }],
    [
      "a custom profile",
      { minMs: 5, medianMs: 10, p95Ms: 30, maxMs: 90 },
      { minMs: 5, medianMs: 10, p95Ms: 30, maxMs: 90 },
    ],
  ])("%s", (_label, input, expected) => {
    expect(resolveLatency(latencyInputSchema.parse(input))).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ["an unknown preset", "slow"],
    ["a negative delay", -1],
    ["more than a minute", 60_001],
    ["quantiles out of order", { minMs: 100, medianMs: 50, p95Ms: 200, maxMs: 300 }],
    ["a missing quantile", { minMs: 10, medianMs: 50, maxMs: 300 }],
  ])("rejects %s", (_label, input) => {
    expect(latencyInputSchema.safeParse(input).success).toBe(false);
  });
});
