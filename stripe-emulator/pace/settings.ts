/**
 * Stripe's pace: the latency profile and rate limits, their presets and the zod schemas for
 * every way they can be given (options, environment, control API).
 */
import { z } from "zod";

/** A lognormal delay: `medianMs` and `p95Ms` fix its shape, `minMs`/`maxMs` clamp it. */
export interface LatencyProfile {
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Requests per second per API key (`globalPerSecond`) and per API key and endpoint
 * (`endpointPerSecond`); `null` means unlimited. `inject429` answers that share of requests
 * with a 429 whatever the budgets say (chaos tests).
 */
export interface RateLimitSettings {
  globalPerSecond: number | null;
  endpointPerSecond: number | null;
  inject429: number;
}

export const LATENCY_PRESETS = {
  off: { minMs: 0, medianMs: 0, p95Ms: 0, maxMs: 0 },
  // Stripe's API from a nearby region: most calls take tens of ms, a long tail reaches
  // hundreds. Lognormal with these quantiles has mean ≈ 86 ms and p99 ≈ 310 ms.
  realistic: { minMs: 20, medianMs: 70, p95Ms: 200, maxMs: 600 },
} as const satisfies Record<string, LatencyProfile>;

export const RATE_LIMIT_PRESETS = {
  off: { globalPerSecond: null, endpointPerSecond: null, inject429: 0 },
  // Stripe's documented defaults: 25 requests/s per key in sandboxes, 100 in live mode, and
  // 25 requests/s per endpoint for most endpoints in both.
  sandbox: { globalPerSecond: 25, endpointPerSecond: 25, inject429: 0 },
  live: { globalPerSecond: 100, endpointPerSecond: 25, inject429: 0 },
} as const satisfies Record<string, RateLimitSettings>;

export const latencyPresetSchema = z.enum(["off", "realistic"]);
export const rateLimitPresetSchema = z.enum(["off", "sandbox", "live"]);

const MAX_LATENCY_MS = 60_000;
const latencyMsSchema = z.number().min(0).max(MAX_LATENCY_MS);

export const latencyProfileSchema = z
  .strictObject({ minMs: latencyMsSchema, medianMs: latencyMsSchema, p95Ms: latencyMsSchema, maxMs: latencyMsSchema })
  .refine((p) => p.minMs <= p.medianMs && p.medianMs <= p.p95Ms && p.p95Ms <= p.maxMs, {
    error: "must satisfy minMs ≤ medianMs ≤ p95Ms ≤ maxMs",
  });

/** A preset name, a fixed delay in ms, or a full profile. */
export const latencyInputSchema = z.union([latencyPresetSchema, latencyMsSchema, latencyProfileSchema]);
export type LatencyInput = z.infer<typeof latencyInputSchema>;

const perSecondSchema = z.number().positive().max(1_000_000).nullable();
export const probabilitySchema = z.number().min(0).max(1);

/**
 * A preset name replaces all three fields. The object form changes only the fields it names,
 * starting from `preset` when given and from the current settings otherwise.
 */
export const rateLimitInputSchema = z.union([
  rateLimitPresetSchema,
  z.strictObject({
    preset: rateLimitPresetSchema.optional(),
    globalPerSecond: perSecondSchema.optional(),
    endpointPerSecond: perSecondSchema.optional(),
    inject429: probabilitySchema.optional(),
  }),
]);
export type RateLimitInput = z.infer<typeof rateLimitInputSchema>;

export function resolveLatency(input: LatencyInput): LatencyProfile {
  if (typeof input === "string") return { ...LATENCY_PRESETS[input] };
  if (typeof input === "number") return { minMs: input, medianMs: input, p95Ms: input, maxMs: input };
  return { ...input };
}

export function resolveRateLimit(current: RateLimitSettings, input: RateLimitInput): RateLimitSettings {
  if (typeof input === "string") return { ...RATE_LIMIT_PRESETS[input] };
  const base = input.preset ? RATE_LIMIT_PRESETS[input.preset] : current;
  // `null` is a value here (unlimited), so only `undefined` falls back to the base.
  return {
    globalPerSecond: input.globalPerSecond === undefined ? base.globalPerSecond : input.globalPerSecond,
    endpointPerSecond: input.endpointPerSecond === undefined ? base.endpointPerSecond : input.endpointPerSecond,
    inject429: input.inject429 ?? base.inject429,
  };
}
